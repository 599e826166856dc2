using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Where the server keeps its files. The key stays <c>Chat:DataDirectory</c>: the README, the Dockerfile, the launch
/// profiles and every deployment already name it, and the options binder ignores the <c>Chat</c> keys that belong
/// to the room.
/// </summary>
public sealed class DataDirectoryOptions
{
    public const string Section = "Chat";

    /// <summary>Where logins.csv, history/, log.txt and keys/ live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";
}
