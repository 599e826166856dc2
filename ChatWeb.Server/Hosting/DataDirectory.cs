using ChatWeb.Server.Chat;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Hosting;

/// <summary>The one folder that holds everything ChatWeb keeps: logins.csv, history/, log.txt and keys/.</summary>
public sealed class DataDirectory
{
    public DataDirectory(IOptions<ChatOptions> options)
        : this(options.Value.DataDirectory)
    {
    }

    public DataDirectory(string path)
    {
        Root = Path.GetFullPath(path);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string LoginsFile => Path.Combine(Root, "logins.csv");
    public string HistoryFolder => Path.Combine(Root, "history");
    public string LogFile => Path.Combine(Root, "log.txt");
    public string KeysFolder => Path.Combine(Root, "keys");
}
