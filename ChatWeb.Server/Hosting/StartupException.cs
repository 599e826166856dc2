namespace ChatWeb.Server.Hosting;

/// <summary>
/// A reason the server cannot start that the operator can fix (for example every TCP port it may take is busy).
/// Like an unreadable data file, it ends start-up with one clear line and exit code 1 (<see cref="StartupErrors"/>).
/// </summary>
public sealed class StartupException(string message, Exception? innerException = null) : Exception(message, innerException);
