namespace ChatWeb.Server.Chat;

/// <summary>
/// Whether the room accepts new connections. The operator pauses and resumes it; every transport
/// checks it before admitting anyone and watches <see cref="Changed"/> (the gateway closes and
/// reopens its port). Connections already in the room are not affected.
/// </summary>
public sealed class RoomAdmission
{
    private volatile bool _paused;

    public bool IsPaused => _paused;

    /// <summary>Raised with the new paused state after every change.</summary>
    public event Action<bool>? Changed;

    /// <returns>false when it was already paused.</returns>
    public bool Pause() => Set(true);

    /// <returns>false when it was not paused.</returns>
    public bool Resume() => Set(false);

    private bool Set(bool paused)
    {
        lock (this)
        {
            if (_paused == paused) return false;
            _paused = paused;
        }
        Changed?.Invoke(paused);
        return true;
    }
}
