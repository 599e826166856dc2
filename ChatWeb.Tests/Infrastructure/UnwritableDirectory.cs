using System.Diagnostics;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// Makes a directory really refuse writes until disposed. chmod alone does not stop root (tests run as
/// root in CI), so this tries, in order, what works for the current user and file system, and checks
/// each by trying to create a file: read-only permissions, the immutable flag (<c>chattr +i</c>, root on
/// ext4/xfs/btrfs/tmpfs), and finally moving the directory aside and putting a regular file in its place.
/// </summary>
public sealed class UnwritableDirectory : IDisposable
{
    private readonly string _path;
    private readonly Action _restore;

    private UnwritableDirectory(string path, string technique, Action restore)
    {
        _path = path;
        Technique = technique;
        _restore = restore;
    }

    /// <summary>How the directory was made unwritable, for failure messages.</summary>
    public string Technique { get; }

    public static UnwritableDirectory Make(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the techniques here are Unix ones");
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (!CanWrite(path)) return new UnwritableDirectory(path, "chmod 0550", () => { if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode); });
        File.SetUnixFileMode(path, mode);

        if (Run("chattr", "+i", path))
        {
            if (!CanWrite(path)) return new UnwritableDirectory(path, "chattr +i", () => Run("chattr", "-i", path));
            Run("chattr", "-i", path);
        }

        var aside = path + ".moved-aside";
        Directory.Move(path, aside);
        File.WriteAllText(path, "a file where a directory should be");
        if (!CanWrite(path))
            return new UnwritableDirectory(path, "replaced by a regular file", () => { File.Delete(path); Directory.Move(aside, path); });

        File.Delete(path);
        Directory.Move(aside, path);
        throw new InvalidOperationException($"could not make {path} unwritable by any technique; the test cannot prove anything");
    }

    /// <summary>True when a new file can be created in <paramref name="path"/> (the probe is removed again).</summary>
    public static bool CanWrite(string path)
    {
        var probe = Path.Combine(path, ".write-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(probe, "x");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _restore();
        if (!CanWrite(_path)) throw new InvalidOperationException($"{_path} is still unwritable after undoing '{Technique}'");
    }

    private static bool Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the program is not installed
        }
    }
}
