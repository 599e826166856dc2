using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hosting;

/// <summary>
/// The README's first command, <c>dotnet run --project ChatWeb.Server</c> from the repository root, runs the
/// product as it ships: Production (no developer exception page), the addresses printed on the console, the data
/// in the root's ./data. <c>dotnet run</c> takes the first launch profile and runs the server in its project
/// folder; these tests read that profile and run the built server the same way (a real <c>dotnet run</c> would
/// build a copy of the repository first: minutes, on a shared machine).
/// </summary>
public sealed partial class ReadmeRunTests
{
    [Fact]
    public void DotnetRunTakesAProductionProfileAndDevelopmentIsAProfileOfItsOwn()
    {
        var profiles = LaunchProfiles();

        Assert.Equal("Production", profiles[0].Environment["ASPNETCORE_ENVIRONMENT"]);
        var development = Assert.Single(profiles, p => p.Name == "Development");
        Assert.Equal("Development", development.Environment["ASPNETCORE_ENVIRONMENT"]);
        // Both keep the data in the same place, so switching profiles keeps the accounts and history.
        Assert.All(profiles, p => Assert.Equal("../data", p.Environment["Chat__DataDirectory"]));
    }

    [Fact]
    public async Task RunAsTheReadmeSaysItIsProductionPrintsItsAddressKeepsDataInTheRootAndShowsNoStackTrace()
    {
        using var repository = new TempDirectory();
        var project = Path.Combine(repository.Path, "ChatWeb.Server");
        Directory.CreateDirectory(project);
        File.Copy(Path.Combine(RepositoryRoot(), "ChatWeb.Server", "appsettings.json"), Path.Combine(project, "appsettings.json"));

        await using var server = TestProcess.Start(TestProcess.BuiltDll("ChatWeb.Server"),
            ["--urls", "http://127.0.0.1:0", "--Gateway:Port=0", "--Gateway:Address=127.0.0.1", "--Console:Enabled=false",
             $"--Admin:Password={ChatWebApplication.AdminPassword}"],
            environment: LaunchProfiles()[0].Environment, workingDirectory: project);

        var listening = await server.WaitForLineAsync(line => ListeningOn().IsMatch(line), TimeSpan.FromSeconds(30));
        await server.WaitForLineAsync(line => line.Contains("Hosting environment: ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains(server.Output.Split('\n'), line => line.EndsWith("Hosting environment: Production", StringComparison.Ordinal));
        var data = Path.Combine(repository.Path, "data");
        Assert.True(File.Exists(Path.Combine(data, "logins.csv")), $"no {data}/logins.csv");
        Assert.False(Directory.Exists(Path.Combine(project, "data")), "data was kept in the project folder");

        // A server error (logins.csv cannot be written) is answered without the developer page's stack trace.
        using var http = new HttpClient { BaseAddress = new Uri(ListeningOn().Match(listening).Groups["url"].Value) };
        HttpResponseMessage answer;
        using (UnwritableDirectory.Make(data))
            answer = await http.PostAsJsonAsync("/api/account/register", new { userName = "alice", password = "password-1" });
        var body = await answer.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ChatWeb.", body, StringComparison.Ordinal);
    }

    private sealed record LaunchProfile(string Name, Dictionary<string, string> Environment);

    private static List<LaunchProfile> LaunchProfiles()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "ChatWeb.Server", "Properties", "launchSettings.json")));
        return json.RootElement.GetProperty("profiles").EnumerateObject()
            .Select(p => new LaunchProfile(p.Name, p.Value.GetProperty("environmentVariables").EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString()!)))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ChatWeb.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new DirectoryNotFoundException("ChatWeb.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
