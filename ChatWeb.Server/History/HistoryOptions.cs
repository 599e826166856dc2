using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.History;

public enum HistoryDurability
{
    /// <summary>Each batch is handed to the operating system before it is acknowledged: survives a process crash.</summary>
    Os,

    /// <summary>Each batch is also flushed to the disk (fsync): survives a power loss, costs a disk flush per batch.</summary>
    Fsync,
}

public sealed class HistoryOptions
{
    public const string Section = "History";

    // A number the enum does not name (History:Durability=7) binds without complaint; this refuses it.
    [EnumDataType(typeof(HistoryDurability))]
    public HistoryDurability Durability { get; set; } = HistoryDurability.Os;
}
