using System.Diagnostics;
using System.Text;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// One of our built programs (ChatWeb.Client, ChatWeb.Server) run as a real process with <c>dotnet app.dll</c>:
/// stdin scripted line by line, stdout and stderr collected so tests can wait for a line.
/// </summary>
public sealed class TestProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private TestProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The path of a project's built dll, found next to this test assembly's own build (same configuration and framework).</summary>
    public static string BuiltDll(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, project, "bin", configuration, framework, project + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    /// <param name="workingDirectory">Where the program runs; by default the folder of its dll.</param>
    public static TestProcess Start(string dll, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return new TestProcess(Process.Start(start)!);
    }

    public string Output
    {
        get { lock (_output) return string.Join("\n", _output); }
    }

    public bool HasExited => _process.HasExited;

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for an output line that matches and returns it.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null) =>
        Wait.ForAsync(() =>
        {
            lock (_output) return _output.FirstOrDefault(match);
        }, () => $"a matching output line; output so far:\n{Output}", timeout ?? TimeSpan.FromSeconds(20));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process did not exit; output so far:\n{Output}");
        }
        return _process.ExitCode;
    }

    private void Collect(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        }
        _process.Dispose();
    }
}
