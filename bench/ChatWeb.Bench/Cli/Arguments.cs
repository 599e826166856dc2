using System.Globalization;
using System.Net;

namespace ChatWeb.Bench.Cli;

/// <summary>A command and its <c>--name value</c> options (<c>--flag</c> alone for a switch). Options nobody asked for are an error.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asked = [];

    private Arguments(string command) => Command = command;

    public string Command { get; }

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new Arguments(args[0]);
        for (var i = 1; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected '{args[i]}': options are --name value");
            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._options[args[i][2..]] = hasValue ? args[++i] : null;
        }
        return parsed;
    }

    public string Text(string name) => Optional(name) ?? throw new ArgumentException($"--{name} is required");

    public string Text(string name, string fallback) => Optional(name) ?? fallback;

    public string? Optional(string name)
    {
        _asked.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public bool Flag(string name)
    {
        _asked.Add(name);
        return _options.ContainsKey(name);
    }

    public int Int(string name, int fallback) => Optional(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Number(string name, double fallback) => Optional(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary><c>host:port</c>, e.g. <c>127.0.0.1:5555</c>.</summary>
    public IPEndPoint? EndPoint(string name) =>
        Optional(name) is { } text
            ? IPEndPoint.TryParse(text, out var endpoint) ? endpoint : throw new ArgumentException($"--{name} '{text}' is not host:port (an IP address)")
            : null;

    /// <summary><c>50000,150000</c>; empty when the option is not given.</summary>
    public IReadOnlyList<double> Numbers(string name) =>
        Optional(name) is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray()
            : [];

    public Uri? Url(string name) => Optional(name) is { } text ? new Uri(text) : null;

    /// <summary>Call after reading every option the command knows: a misspelt option must not be silently ignored.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_asked.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown option(s) for {Command}: {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
