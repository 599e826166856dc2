using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// ChatWeb.Server as a real process (as an operator runs it), with stdin to type console commands into
/// and everything it prints captured. For what only a whole process shows: the console, the exit code.
/// </summary>
public sealed partial class ServerProcess : IChatWebServer, IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }
    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The port the TCP gateway took (it prints it on the console at start-up).</summary>
    public int TcpPort => int.Parse(GatewayListening().Match(Output).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True once the process has ended, by itself or killed.</summary>
    public bool HasExited => _process.HasExited;

    public string LogFile => Path.Combine(DataDirectory, "log.txt");

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var server = Launch(dataDirectory, settings);
        var listening = await server.WaitForOutputAsync(ListeningOn(), TimeSpan.FromSeconds(30));
        server.BaseAddress = new Uri(listening.Groups["url"].Value);
        return server;
    }

    /// <summary>Starts a server that is expected to refuse to start: returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string dataDirectory, params string[] settings)
    {
        await using var server = Launch(dataDirectory, settings);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        server._process.WaitForExit(); // drains the output handlers
        return (exitCode, server.Output);
    }

    private static ServerProcess Launch(string dataDirectory, string[] settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ServerDll)!,
        };
        info.ArgumentList.Add(ServerDll);
        foreach (var argument in new[]
        {
            "--urls", "http://127.0.0.1:0",
            $"--Chat:DataDirectory={dataDirectory}",
            $"--Admin:Password={ChatWebApplication.AdminPassword}",
            "--Console:Enabled=true",
            "--Chat:RatePerSecond=0",
            // Any free loopback TCP port, as in ChatWebApplication: parallel servers never fight over 5555.
            "--Gateway:Port=0",
            "--Gateway:Address=127.0.0.1",
        }.Concat(settings))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var server = new ServerProcess(Process.Start(info)!, dataDirectory);
        server._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.Add(e.Data); };
        server._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.Add(e.Data); };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    public async Task TypeAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout) =>
        Wait.ForAsync(() =>
        {
            var match = pattern.Match(Output);
            if (match.Success) return match;
            // An exited process prints nothing more: fail now rather than at the timeout.
            return _process.HasExited ? throw new InvalidOperationException($"the server exited before printing '{pattern}'. Output:\n{Output}") : null;
        }, () => $"'{pattern}' on the server's output. Output:\n{Output}", timeout);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>kill -TERM, as <c>docker stop</c>, systemd or an orchestrator stops the server.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastWin32Error()}");
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>kill -9: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The server's own build output (ChatWeb.Server/bin/&lt;configuration&gt;/net10.0), next to this test assembly's.</summary>
    private static string ServerDll
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory);
            var framework = testBin.Name;
            var configuration = testBin.Parent!.Name;
            var root = testBin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "ChatWeb.sln"))) root = root.Parent;
            var dll = Path.Combine(root!.FullName, "ChatWeb.Server", "bin", configuration, framework, "ChatWeb.Server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build ChatWeb.Server first", dll);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"^TCP gateway listening on 127\.0\.0\.1:(?<port>\d+)", RegexOptions.Multiline)]
    private static partial Regex GatewayListening();
}
