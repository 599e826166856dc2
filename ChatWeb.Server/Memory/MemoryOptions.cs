using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Memory;

/// <summary>The <c>Memory</c> section: when a server that has gone quiet hands its garbage back to the system.</summary>
public sealed class MemoryOptions
{
    public const string Section = "Memory";

    /// <summary>Seconds of quiet (the server allocating under 1 MiB a second) before memory is handed back; 0 turns it off.</summary>
    [Range(0, 3600)]
    public int TrimAfterQuietSeconds { get; set; } = 2;

    /// <summary>Memory allocated since the last trim (or the start) below which a trim is not worth its pause.</summary>
    [Range(1, 65536)]
    public int TrimAfterAllocatedMiB { get; set; } = 16;
}
