using System.Text.RegularExpressions;

namespace ChatWeb.Tests.Architecture;

/// <summary>
/// The server's folders in layers: a folder uses only the layers below it, plus the few arrows within a layer
/// listed here, so no arrow points up (a transport never reaches into Control, Hosting knows no feature). Read from
/// the source: a using directive, a qualified name, or a name relative to ChatWeb.Server (<c>Chat.Transport</c>)
/// each count as a use, doc references included.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string[][] Layers =
    [
        ["Hosting"],
        ["Chat", "History", "Accounts", "Security", "Memory"],
        ["Hubs", "Gateway", "AdminLog"],
        ["Control", "Components"],
    ];

    // History stores the room's messages behind Chat's IChatHistory; Accounts spends Security's sign-in budget;
    // the admin pages drive Control's actions.
    private static readonly HashSet<(string From, string To)> WithinALayer = [("History", "Chat"), ("Accounts", "Security"), ("Components", "Control")];

    [Fact]
    public void EveryServerFolderUsesOnlyTheLayersBelowIt()
    {
        var layerOf = Layers.SelectMany((folders, layer) => folders.Select(f => (f, layer))).ToDictionary(x => x.f, x => x.layer);
        var upward = Folders()
            .SelectMany(from => Uses(from).Select(use => (from, use.To, use.File)))
            .Where(x => layerOf[x.To] > layerOf[x.from] || (layerOf[x.To] == layerOf[x.from] && !WithinALayer.Contains((x.from, x.To))))
            .Select(x => $"{x.File}: {x.from} -> {x.To}")
            .ToList();
        Assert.Empty(upward);
    }

    [Fact]
    public void ChatUsesNothingElseOfTheServer()
    {
        var uses = Uses("Chat").Select(use => $"{use.File}: Chat -> {use.To}").ToList();
        Assert.Empty(uses);
    }

    [Fact]
    public void EveryServerFolderHasItsPlaceInALayer()
    {
        var placed = Layers.SelectMany(folders => folders).ToHashSet();
        var unplaced = Directory.EnumerateDirectories(ServerRoot())
            .Where(folder => Sources(folder).Any())
            .Select(folder => Path.GetFileName(folder)!)
            .Where(folder => !placed.Contains(folder))
            .ToList();
        Assert.Empty(unplaced);
    }

    private static IEnumerable<string> Folders() => Layers.SelectMany(folders => folders);

    /// <summary>Every other server folder a folder's files name, with the file that names it.</summary>
    private static IEnumerable<(string To, string File)> Uses(string folder)
    {
        var known = Folders().ToHashSet();
        var relative = RelativeNames();
        foreach (var file in Sources(Path.Combine(ServerRoot(), folder)))
        {
            var text = File.ReadAllText(file);
            var named = Qualified().Matches(text).Select(m => m.Groups["folder"].Value)
                .Concat(Dotted().Matches(text).Where(m => relative.Contains((m.Groups["folder"].Value, m.Groups["name"].Value))).Select(m => m.Groups["folder"].Value))
                .Where(name => name != folder)
                .Distinct();
            foreach (var name in named)
            {
                Assert.True(known.Contains(name), $"{file} names ChatWeb.Server.{name}, a folder no layer holds");
                yield return (name, Path.GetRelativePath(ServerRoot(), file));
            }
        }
    }

    /// <summary>
    /// (folder, name) for every type of the server and every sub-namespace, so that "Chat.Transport" is a use of Chat
    /// while a member that happens to be called Accounts or Control is not.
    /// </summary>
    private static HashSet<(string Folder, string Name)> RelativeNames() =>
        typeof(ChatWeb.Server.Hosting.DataDirectory).Assembly.GetTypes()
            .Where(type => !type.IsNested && type.Namespace?.StartsWith("ChatWeb.Server.", StringComparison.Ordinal) == true)
            .Select(type => type.Namespace!["ChatWeb.Server.".Length..].Split('.') is var parts && parts.Length > 1
                ? (parts[0], parts[1])
                : (parts[0], type.Name.Split('`')[0]))
            .ToHashSet();

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".razor", StringComparison.Ordinal))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static string ServerRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ChatWeb.sln"))) folder = folder.Parent;
        return Path.Combine(folder?.FullName ?? throw new DirectoryNotFoundException("ChatWeb.sln not found above " + AppContext.BaseDirectory), "ChatWeb.Server");
    }

    [GeneratedRegex(@"ChatWeb\.Server\.(?<folder>\w+)")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z]\w*)\.(?<name>[A-Z]\w*)\b")]
    private static partial Regex Dotted();
}
