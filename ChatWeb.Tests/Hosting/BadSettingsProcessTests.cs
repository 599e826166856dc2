using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hosting;

/// <summary>
/// A setting the server cannot use stops it before anything is built or opened: exit code 1 and one line naming
/// the key, the value given and what is allowed; no stack trace, no port ever listening, not even a log file.
/// </summary>
public sealed class BadSettingsProcessTests
{
    [Theory]
    [InlineData("Chat:HistoryOnJoin", "5000", "a whole number from 0 to 500")]
    [InlineData("Chat:HistoryOnJoin", "", "a whole number from 0 to 500")]
    [InlineData("Chat:RatePerSecond", "-1", "a number, 0 or more")]
    [InlineData("Gateway:Port", "abc", "a whole number from 0 to 65535")]
    [InlineData("Gateway:Port", "70000", "a whole number from 0 to 65535")]
    [InlineData("Accounts:TokenLifetimeHours", "9223372036854775807", "a whole number from 1 to 8760")]
    [InlineData("History:Durability", "banana", "one of os, fsync")]
    [InlineData("History:Durability", "7", "one of os, fsync")]
    [InlineData("Logging:RetainedFiles", "0", "a whole number from 1 to 1000")]
    [InlineData("Logging:FileSizeLimitMiB", "NaN", "a number from 0 to 1048576")]
    [InlineData("Console:Enabled", "maybe", "true or false")]
    [InlineData("Security:KnownProxies:0", "proxy.example", "an IP address such as 10.0.0.2 or fd00::2")]
    [InlineData("urls", "banana", "addresses such as http://0.0.0.0:8080 or http://[::]:8080, separated by ';'")]
    [InlineData("urls", "http://127.0.0.1:99999", "addresses such as http://0.0.0.0:8080 or http://[::]:8080, separated by ';'")]
    // A port that is no number made the host "127.0.0.1:notaport", which Kestrel heard as every interface, port 80.
    [InlineData("urls", "http://127.0.0.1:notaport", "addresses such as http://0.0.0.0:8080 or http://[::]:8080, separated by ';'")]
    public async Task ABadValueIsOneLineNamingKeyValueAndWhatIsAllowedThenExitCodeOneWithNothingOpened(string key, string value, string allowed)
    {
        using var directory = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path, $"--{key}={value}");

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"ChatWeb did not start: setting {key} is '{value}'; allowed: {allowed}."], lines);
        // Stopped before the logger, the ports and the hosted services were even built.
        Assert.False(File.Exists(Path.Combine(directory.Path, "log.txt")), "the server got as far as logging");
    }

    [Fact]
    public async Task AnAllowedOriginThatIsNoOriginIsOneLineAndExitCodeOne()
    {
        using var directory = new TempDirectory();

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path, "--Security:AllowedOrigins:0=foo");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ChatWeb did not start: setting Security:AllowedOrigins: ", line);
        Assert.Contains("'foo'", line);
        Assert.False(File.Exists(Path.Combine(directory.Path, "log.txt")), "the server got as far as logging");
    }

    [Fact]
    public async Task AnAdminNameThatIsNoUserNameIsRefusedBeforeStartUp()
    {
        using var directory = new TempDirectory();
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path, "--Admin:UserName=root admin!");
        Assert.Equal(1, exitCode);
        Assert.Equal("ChatWeb did not start: setting Admin:UserName is 'root admin!'; allowed: 1-32 letters or digits, plus _ - .", output.Trim());
    }

    [Fact]
    public async Task AShortAdminPasswordIsRefusedWithoutShowingIt()
    {
        using var directory = new TempDirectory();
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path, "--Admin:Password=tiny7");
        Assert.Equal(1, exitCode);
        Assert.Equal("ChatWeb did not start: setting Admin:Password is too short (the value is not shown); allowed: at least 8 characters.", output.Trim());
    }

    [Fact]
    public async Task ADataDirectoryThatCannotBeAFolderIsOneLine()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "a-file");
        File.WriteAllText(file, "not a folder");
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path, $"--Chat:DataDirectory={file}/data");
        Assert.Equal(1, exitCode);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"ChatWeb did not start: setting Chat:DataDirectory is '{file}/data'; allowed: a folder ChatWeb can create and write (", output);
    }

    [Fact]
    public async Task ABusyHttpPortIsOneLineAndExitCodeOne()
    {
        using var directory = new TempDirectory();
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        Assert.Equal($"ChatWeb did not start: Failed to bind to address http://127.0.0.1:{port}: address already in use.", output.Split('\n')[^1]);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKeyIsNamedAsTheOptionsSpellItWhateverCaseTheOperatorTyped()
    {
        using var directory = new TempDirectory();
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path, "--chat:historyonjoin=501");
        Assert.Equal(1, exitCode);
        Assert.Equal("ChatWeb did not start: setting Chat:HistoryOnJoin is '501'; allowed: a whole number from 0 to 500.", output.Trim());
    }
}
