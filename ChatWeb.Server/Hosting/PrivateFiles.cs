namespace ChatWeb.Server.Hosting;

/// <summary>
/// The data directory holds password hashes, the Data Protection keys, every message and the log: on Unix
/// nobody but the server's own user may read it. Folders are made 0700 and files 0600 when created, and a
/// file or folder found wider (an older ChatWeb, a restored backup, a umask of 000) is narrowed when opened.
/// Windows has no modes; there the folder inherits the ACLs of its parent.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [System.Runtime.Versioning.UnsupportedOSPlatformGuard("windows")]
    private static bool HasModes => !OperatingSystem.IsWindows();

    /// <summary>Creates the folder (and missing parents: 0700 too) or narrows an existing one to 0700.</summary>
    public static void CreateFolder(string path)
    {
        if (!HasModes)
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, FolderMode);
        Narrow(path, FolderMode);
    }

    /// <summary>A <see cref="FileStream"/> on a file that is created 0600, or narrowed to 0600 if it exists wider.</summary>
    public static FileStream Open(string path, System.IO.FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        if (HasModes && mode != System.IO.FileMode.Open && (access & FileAccess.Write) != 0) settings.UnixCreateMode = FileMode;
        var stream = new FileStream(path, settings);
        if (HasModes && (access & FileAccess.Write) != 0)
        {
            try
            {
                if ((File.GetUnixFileMode(stream.SafeFileHandle) & ~FileMode) != 0) File.SetUnixFileMode(stream.SafeFileHandle, FileMode);
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's file that we may write (a bind mount): start-up has said so; writing goes on.
            }
        }
        return stream;
    }

    /// <summary>Narrows one existing file to 0600 (a file another component wrote, such as a key).</summary>
    public static void NarrowFile(string path)
    {
        if (HasModes) Narrow(path, FileMode);
    }

    /// <summary>
    /// Only the owner may change a mode: a file or folder of another user (a bind mount, files restored as root)
    /// stays as it is, and the operator is told once on stderr (the log may not exist yet) instead of the server
    /// refusing to start over data it can otherwise use.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(string path, UnixFileMode mode)
    {
        try
        {
            if ((File.GetUnixFileMode(path) & ~mode) != 0) File.SetUnixFileMode(path, mode);
        }
        catch (UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"ChatWeb: {path} is readable by other users and belongs to another user, so it could not be made private (chmod {Convert.ToString((int)mode, 8)} it, or chown it to the server's user).");
        }
    }
}
