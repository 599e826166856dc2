using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// The one folder that holds everything ChatWeb keeps: logins.csv, history/, log.txt and keys/. It is private
/// to the server's user (see <see cref="PrivateFiles"/>); what an older version or a restore left readable to
/// others is narrowed here, at start-up, before anything is read from it.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(IOptions<DataDirectoryOptions> options)
        : this(options.Value.DataDirectory)
    {
    }

    public DataDirectory(string path)
    {
        Root = Path.GetFullPath(path);
        PrivateFiles.CreateFolder(Root);
        MakeExistingFilesPrivate();
    }

    public string Root { get; }

    public string LoginsFile => Path.Combine(Root, "logins.csv");
    public string HistoryFolder => Path.Combine(Root, "history");
    public string LogFile => Path.Combine(Root, "log.txt");
    public string KeysFolder => Path.Combine(Root, "keys");
    public string GeneratedAdminPasswordFile => Path.Combine(Root, "admin-password.txt");
    public string AppliedAdminPasswordFile => Path.Combine(Root, "admin-password-applied.txt");

    /// <summary>
    /// Only ChatWeb's own files: the data directory may be one an operator shares with other things
    /// (<c>Chat:DataDirectory=.</c>), whose modes are not ours to change.
    /// </summary>
    private void MakeExistingFilesPrivate()
    {
        foreach (var folder in new[] { HistoryFolder, KeysFolder })
        {
            if (Directory.Exists(folder)) PrivateFiles.CreateFolder(folder);
        }
        var files = new[] { LoginsFile, LoginsFile + ".tmp", LogFile, GeneratedAdminPasswordFile, AppliedAdminPasswordFile }
            .Concat(Existing(Root, "log.*.txt"))
            .Concat(Existing(Root, "logins.set-aside-*.csv"))
            .Concat(Existing(HistoryFolder, "history-*.csv"))
            .Concat(Existing(KeysFolder, "*.xml"));
        foreach (var file in files)
        {
            if (File.Exists(file)) PrivateFiles.NarrowFile(file);
        }
    }

    private static IEnumerable<string> Existing(string folder, string pattern) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, pattern) : [];
}
