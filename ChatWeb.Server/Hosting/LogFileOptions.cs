using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Hosting;

/// <summary>The <c>Logging</c> keys of log.txt (the levels stay Serilog's, set in code).</summary>
public sealed class LogFileOptions
{
    public const string Section = "Logging";

    /// <summary>
    /// Size in MiB at which log.txt is rolled to log.1.txt and started afresh; fractions allowed (0.5 = 512 KiB);
    /// 0 = never rolled, the file grows without bound.
    /// </summary>
    // Double bounds: with int ones the attribute converts the value to an int (0.5 -> 0, NaN -> OverflowException).
    [Range(0d, 1024d * 1024)]
    public double FileSizeLimitMiB { get; set; } = 64;

    /// <summary>How many log files are kept, log.txt included: log.txt, log.1.txt ... log.(N-1).txt.</summary>
    [Range(1, 1000)]
    public int RetainedFiles { get; set; } = 5;

    internal long FileSizeLimitBytes => (long)(FileSizeLimitMiB * 1024 * 1024);
}
