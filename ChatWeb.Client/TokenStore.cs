namespace ChatWeb.Client;

/// <summary>
/// The session token of each server (host and port), one file each in the user's config folder
/// (<c>~/.config/chatweb</c> on Linux), readable by the user only: it signs in without a password.
/// </summary>
internal sealed class TokenStore(string? directory)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>In ApplicationData/chatweb (created when first needed); no saving when the user has no home at all.</summary>
    public static TokenStore ForCurrentUser()
    {
        var config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return new TokenStore(string.IsNullOrEmpty(config) ? null : Path.Combine(config, "chatweb"));
    }

    public string? Load(string host, int port)
    {
        if (PathOf(host, port) is not { } path || !File.Exists(path)) return null;
        try
        {
            var token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Save(string host, int port, string token)
    {
        if (PathOf(host, port) is not { } path) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory!);
        else Directory.CreateDirectory(directory!, OwnerOnlyFolder);

        // Written whole to a private temporary file, then renamed: never a half-written or world-readable token.
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, OwnerOnlyFile);
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete(string host, int port)
    {
        if (PathOf(host, port) is { } path) File.Delete(path);
    }

    private string? PathOf(string host, int port)
    {
        if (directory is null) return null;
        var safeHost = string.Concat(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
        return Path.Combine(directory, $"session-{safeHost}-{port}.token");
    }
}
