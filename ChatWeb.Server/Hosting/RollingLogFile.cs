using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// log.txt, rolled by size: once it passes <c>Logging:FileSizeLimitMiB</c> it becomes log.1.txt (log.1.txt becomes
/// log.2.txt, ...) and a new log.txt starts; the oldest beyond <c>Logging:RetainedFiles</c> is deleted. So the
/// current log is always log.txt, as the README says. (Serilog's own file sink names the current file log_003.txt
/// once it rolls, and without rolling stops writing for good at 1 GB.)
/// Clearing and reading the tail go through here too, under the same lock as writing and rolling, so neither
/// ever sees a file half way through a roll.
/// </summary>
public sealed class RollingLogFile : ILogEventSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly MessageTemplateTextFormatter _formatter = new(LoggingExtensions.Template, CultureInfo.InvariantCulture);
    private readonly string _folder;
    private readonly long _limitBytes;
    private readonly int _retainedFiles;
    private FileStream? _stream;
    private StreamWriter? _writer;

    public RollingLogFile(DataDirectory data, IOptions<LogFileOptions> options)
    {
        Path = data.LogFile;
        _folder = data.Root;
        _limitBytes = options.Value.FileSizeLimitBytes;
        _retainedFiles = options.Value.RetainedFiles;
        lock (_gate) DeleteRolledFrom(_retainedFiles);
    }

    /// <summary>The current file, log.txt.</summary>
    public string Path { get; }

    /// <summary>Every log file there is now, the current one first, then the rolled ones newest first.</summary>
    public IReadOnlyList<string> Files()
    {
        lock (_gate) return [.. new[] { Path }.Concat(RolledFiles().Select(f => f.Path)).Where(File.Exists)];
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            try
            {
                var writer = Open();
                // Someone may have emptied log.txt by hand: write at its end, not at our old offset (no NUL gap).
                writer.BaseStream.Seek(0, SeekOrigin.End);
                _formatter.Format(logEvent, writer);
                writer.Flush();
                // The position after a write at the end is the file's length, without asking the file system.
                if (_limitBytes > 0 && writer.BaseStream.Position >= _limitBytes) Roll();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Reopened at the next event; Serilog's self log says why.
                Close();
                throw;
            }
        }
    }

    /// <summary>Empties log.txt (logging goes on into it) and deletes the rolled files.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            Open().BaseStream.SetLength(0);
            DeleteRolledFrom(1);
        }
    }

    /// <summary>
    /// The last <paramref name="maxBytes"/> of the log across the roll, oldest first, starting at a line start:
    /// right after a roll log.txt holds a line or two, and the log page still shows what came before.
    /// </summary>
    public string Tail(int maxBytes)
    {
        lock (_gate)
        {
            var parts = new List<string>();
            var left = maxBytes;
            foreach (var file in new[] { Path, RolledPath(1) })
            {
                if (left <= 0 || !File.Exists(file)) continue;
                var (text, read) = ReadEnd(file, left);
                parts.Insert(0, text);
                left -= read;
            }
            return string.Concat(parts);
        }
    }

    public void Dispose()
    {
        lock (_gate) Close();
    }

    private StreamWriter Open()
    {
        if (_writer is not null) return _writer;
        _stream = PrivateFiles.Open(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        return _writer = new StreamWriter(_stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096);
    }

    private void Close()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (IOException)
        {
            // What could not be flushed is lost with the file it was for.
        }
        _stream?.Dispose();
        _writer = null;
        _stream = null;
    }

    private void Roll()
    {
        Close();
        DeleteRolledFrom(_retainedFiles - 1);
        for (var number = _retainedFiles - 2; number >= 1; number--)
        {
            if (File.Exists(RolledPath(number))) File.Move(RolledPath(number), RolledPath(number + 1), overwrite: true);
        }
        if (_retainedFiles > 1) File.Move(Path, RolledPath(1), overwrite: true);
        else File.Delete(Path);
        // log.txt exists at every moment but inside a roll: whoever reads or tails it never finds it missing.
        Open();
    }

    /// <summary>Deletes log.N.txt for every N at or above <paramref name="first"/> (also those a larger RetainedFiles left).</summary>
    private void DeleteRolledFrom(int first)
    {
        foreach (var (path, number) in RolledFiles())
        {
            if (number >= first) File.Delete(path);
        }
    }

    private IEnumerable<(string Path, int Number)> RolledFiles() =>
        Directory.EnumerateFiles(_folder, "log.*.txt")
            .Select(path => (Path: path, Number: RolledNumber(System.IO.Path.GetFileName(path))))
            .Where(file => file.Number > 0)
            .OrderBy(file => file.Number);

    private static int RolledNumber(string name) =>
        name.StartsWith("log.", StringComparison.Ordinal) && name.EndsWith(".txt", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(4, name.Length - 8), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number : 0;

    private string RolledPath(int number) => System.IO.Path.Combine(_folder, $"log.{number}.txt");

    /// <summary>Up to <paramref name="maxBytes"/> from the end of a file, from the first whole line; and the bytes it took.</summary>
    private static (string Text, int Bytes) ReadEnd(string path, int maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, stream.Length - maxBytes);
        stream.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        if (start > 0) text = text[(text.IndexOf('\n') + 1)..];
        return (text, (int)(stream.Length - start));
    }
}
