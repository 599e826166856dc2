using System.Globalization;
using ChatWeb.Server.Hosting;
using CsvHelper;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Reads and writes logins.csv. Writing is atomic: a temp file is written, flushed to disk and renamed
/// over the old one, so a crash leaves either the old file or the new one, never a mix.
/// </summary>
internal static class LoginsFile
{
    public static readonly string[] Header =
        ["UserName", "NormalizedUserName", "PasswordHash", "SecurityStamp", "Roles", "CreatedAt",
         "LastSignInAt", "LastIpProtected", "AccessFailedCount", "LockoutEnd"];

    /// <summary>
    /// Every account in the file, each under the key <see cref="UserNameKey"/> gives its name; throws
    /// <see cref="InvalidDataException"/> naming the file and line when it cannot be trusted. A key that differs from
    /// the one in the file (written by a version that normalized names otherwise) is not a reason to stop: the
    /// account comes back under the right key, and its line number is in <paramref name="rekeyed"/>.
    /// </summary>
    public static List<ChatUser> Read(string path, List<(long Line, ChatUser User)>? rekeyed = null)
    {
        var users = new List<ChatUser>();
        if (!File.Exists(path)) return users;

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var csv = CsvReader.Create(stream, CsvFormat.Strict, leaveOpen: false);
        try
        {
            while (csv.Read())
            {
                if (!csv.Headers.SequenceEqual(Header))
                    throw Corrupt(path, 1, $"the header must be {string.Join(',', Header)}");
                var line = csv.LineNumber;
                var user = Parse(csv, path);
                if (user.NormalizedUserName != csv.GetString(1)) rekeyed?.Add((line, user));
                users.Add(user);
            }
        }
        catch (CsvFormatException ex)
        {
            throw Corrupt(path, ex.LineNumber, ex.Message);
        }
        return users;
    }

    public static void Write(string path, IReadOnlyList<ChatUser> users)
    {
        var temp = path + ".tmp";
        using (var stream = PrivateFiles.Open(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var csv = CsvWriter.Create(stream, CsvFormat.Lines, leaveOpen: true))
            {
                foreach (var column in Header) csv.WriteField(column);
                csv.EndRecord();
                for (var i = 0; i < users.Count; i++)
                {
                    var user = users[i];
                    csv.WriteField(user.UserName);
                    csv.WriteField(user.NormalizedUserName);
                    csv.WriteField(user.PasswordHash ?? "");
                    csv.WriteField(user.SecurityStamp);
                    csv.WriteField(string.Join(';', user.Roles));
                    WriteTime(csv, user.CreatedAt);
                    WriteTime(csv, user.LastSignInAt);
                    csv.WriteField(user.LastIpProtected ?? "");
                    csv.WriteField(user.AccessFailedCount.ToString(CultureInfo.InvariantCulture));
                    WriteTime(csv, user.LockoutEnd);
                    csv.EndRecord();
                }
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static ChatUser Parse(CsvReader csv, string path)
    {
        var line = csv.LineNumber;
        if (csv.FieldCount != Header.Length)
            throw Corrupt(path, line, $"expected {Header.Length} fields, found {csv.FieldCount}");

        var name = csv.GetString(0);
        if (!UserNameRules.IsWellFormed(name)) throw Corrupt(path, line, $"'{name}' is not a valid user name");
        if (csv.GetString(3) is not { Length: > 0 } stamp) throw Corrupt(path, line, "SecurityStamp is empty");

        return new ChatUser
        {
            UserName = name,
            NormalizedUserName = UserNameKey.Of(name),
            PasswordHash = csv.GetString(2) is { Length: > 0 } hash ? hash : null,
            SecurityStamp = stamp,
            Roles = csv.GetString(4).Split(';', StringSplitOptions.RemoveEmptyEntries).ToList(),
            CreatedAt = ParseTime(csv.GetString(5), path, line, "CreatedAt") ?? throw Corrupt(path, line, "CreatedAt is empty"),
            LastSignInAt = ParseTime(csv.GetString(6), path, line, "LastSignInAt"),
            LastIpProtected = csv.GetString(7) is { Length: > 0 } ip ? ip : null,
            AccessFailedCount = int.TryParse(csv.GetString(8), NumberStyles.None, CultureInfo.InvariantCulture, out var failed)
                ? failed : throw Corrupt(path, line, $"AccessFailedCount '{csv.GetString(8)}' is not a number"),
            LockoutEnd = ParseTime(csv.GetString(9), path, line, "LockoutEnd"),
        };
    }

    /// <summary>A time as round-trip UTC ("O"), or an empty field; formatted on the stack, since every write formats every account's times.</summary>
    private static void WriteTime(CsvWriter csv, DateTimeOffset? time)
    {
        Span<char> buffer = stackalloc char[64];
        if (time is not { } value) csv.WriteField(ReadOnlySpan<char>.Empty);
        else if (value.UtcDateTime.TryFormat(buffer, out var written, "O", CultureInfo.InvariantCulture)) csv.WriteField(buffer[..written]);
        else csv.WriteField(value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset? ParseTime(string? text, string path, long line, string column)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Corrupt(path, line, $"{column} '{text}' is not a time");
    }

    private static InvalidDataException Corrupt(string path, long line, string problem) =>
        new($"Accounts file {path} cannot be read at line {line}: {problem}. The file was left as it is; fix or move it and start again.");
}
