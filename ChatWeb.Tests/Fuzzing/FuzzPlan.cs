using System.Globalization;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>
/// How much to throw and from which seed. CI runs the defaults; a longer pass sets
/// <c>CHATWEB_FUZZ_SEED</c> and <c>CHATWEB_FUZZ_SCALE</c> (a multiplier of every count) in the environment
/// of the same test (docs/reliability.md has the command).
/// </summary>
public sealed record FuzzPlan(int Seed, int TcpInputs, int HubFrames, int ApiBodies)
{
    public const int DefaultSeed = 20261122;
    public const string SeedVariable = "CHATWEB_FUZZ_SEED";
    public const string ScaleVariable = "CHATWEB_FUZZ_SCALE";

    private const int BaseTcpInputs = 10_000;
    private const int BaseHubFrames = 1_000;
    private const int BaseApiBodies = 1_000;

    public int Scale => TcpInputs / BaseTcpInputs;

    public static FuzzPlan FromEnvironment()
    {
        var seed = Read(SeedVariable, DefaultSeed);
        var scale = Read(ScaleVariable, 1);
        if (scale < 1) throw new ArgumentOutOfRangeException(ScaleVariable, scale, "the scale is a whole number of 1 or more");
        return new FuzzPlan(seed, BaseTcpInputs * scale, BaseHubFrames * scale, BaseApiBodies * scale);
    }

    /// <summary>How to run this very pass again.</summary>
    public string ReplayCommand =>
        $"{SeedVariable}={Seed} {ScaleVariable}={Scale} dotnet test ChatWeb.Tests --filter \"FullyQualifiedName~ChatWeb.Tests.Fuzzing\"";

    private static int Read(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : fallback;
}
