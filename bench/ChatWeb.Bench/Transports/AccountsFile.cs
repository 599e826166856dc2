namespace ChatWeb.Bench.Transports;

/// <summary>The run's accounts, one per line: name, password and access token separated by tabs.</summary>
internal static class AccountsFile
{
    public static void Write(string path, IEnumerable<BenchAccount> accounts) =>
        File.WriteAllLines(path, accounts.Select(a => $"{a.UserName}\t{a.Password}\t{a.Token}"));

    public static List<BenchAccount> Read(string path) =>
        File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(parts => parts.Length == 3 ? new BenchAccount(parts[0], parts[1], parts[2]) : throw new InvalidDataException($"{path}: expected name, password and token"))
            .ToList();
}
