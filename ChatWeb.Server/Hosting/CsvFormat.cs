using CsvHelper;

namespace ChatWeb.Server.Hosting;

/// <summary>How ChatWeb reads and writes its CSV files (logins.csv, the history).</summary>
public static class CsvFormat
{
    /// <summary>Strict: a malformed quote or a wrong field count is an error with its line number, never silently "recovered".</summary>
    public static readonly CsvReaderOptions Strict = new()
    {
        HasHeader = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
        TrackLineNumbers = true,
    };

    /// <summary>Records end with a bare LF, so a file that does not end with one was cut off mid-record.</summary>
    public static readonly CsvWriterOptions Lines = new() { NewLine = "\n" };
}
