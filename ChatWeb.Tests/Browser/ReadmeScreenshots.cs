using Microsoft.Playwright;

namespace ChatWeb.Tests.Browser;

/// <summary>
/// The README's pictures are taken by the browser tests, of real pages with real data, only when
/// <c>CHATWEB_SCREENSHOTS=1</c> is set (a normal run writes nothing into the repository):
/// <code>CHATWEB_SCREENSHOTS=1 dotnet test ChatWeb.sln --filter "FullyQualifiedName~ChatWeb.Tests.Browser"</code>
/// Any browser test may call <see cref="SaveAsync"/>, e.g. the admin dashboard's with "admin.png".
/// </summary>
public static class ReadmeScreenshots
{
    public const string EnvironmentVariable = "CHATWEB_SCREENSHOTS";

    public static bool Enabled => Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    /// <summary>Saves what <paramref name="page"/> shows (its viewport) as docs/images/<paramref name="fileName"/>, when enabled.</summary>
    public static async Task SaveAsync(IPage page, string fileName)
    {
        if (!Enabled) return;
        var path = Path.Combine(RepositoryRoot(), "docs", "images", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new()
        {
            Path = path,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
    }

    /// <summary>The directory holding ChatWeb.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ChatWeb.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"ChatWeb.sln not found above {AppContext.BaseDirectory}");
    }
}
