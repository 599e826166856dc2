namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// A fresh directory under the system temp folder, deleted (as far as it can be) when disposed:
/// <c>using var directory = new TempDirectory();</c> for a test's data directory. <see cref="Create"/> and
/// <see cref="Delete"/> are for owners whose directory lives longer than one block (<see cref="ChatWebApplication"/>).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Create();

    public void Dispose() => Delete(Path);

    public static string Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chatweb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying server; the OS temp cleaner gets it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
