using System.Globalization;
using ChatWeb.Client;

// ChatWeb.Client: host and port from the command line or asked (with defaults), then one chat session.
var (options, error) = ClientOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"ChatWeb.Client: {error}");
    Console.Error.WriteLine(ClientOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(ClientOptions.Usage);
    return 0;
}

var terminal = new Terminal();
terminal.Start();
using var stop = new CancellationTokenSource();
// Ctrl+C ends the session cleanly instead of killing the process mid-write.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var host = options.Host ?? await AskAsync($"Host [{ClientOptions.DefaultHost}]:", ClientOptions.DefaultHost);
    var port = options.Port ?? await AskPortAsync();
    return await new ChatSession(options, host, port, terminal, TokenStore.ForCurrentUser()).RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    terminal.Finish();
    terminal.WriteLine("Bye.");
    return 0;
}
finally
{
    terminal.Finish();
}

async Task<string> AskAsync(string prompt, string fallback)
{
    if (terminal.IsInteractive) terminal.SetPrompt(prompt + " ");
    else terminal.WriteLine(prompt);
    var answer = (await terminal.ReadLineAsync(stop.Token))?.Trim();
    terminal.SetPrompt("");
    return string.IsNullOrEmpty(answer) ? fallback : answer;
}

async Task<int> AskPortAsync()
{
    while (true)
    {
        var text = await AskAsync($"Port [{ClientOptions.DefaultPort}]:", ClientOptions.DefaultPort.ToString(CultureInfo.InvariantCulture));
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535) return port;
        terminal.WriteLine($"'{text}' is not a port number (1-65535).");
    }
}
