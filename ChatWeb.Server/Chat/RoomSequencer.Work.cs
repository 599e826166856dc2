namespace ChatWeb.Server.Chat;

public sealed partial class RoomSequencer
{
    /// <summary>Something queued for the sequencer, answered once its turn is published.</summary>
    private abstract class Work
    {
        public abstract void Answer();
    }

    private sealed class PostWork(RoomMember from, string text) : Work
    {
        public RoomMember From => from;
        public string Text => text;
        public ChatMessage? Message { get; set; }
        public PostResult Result { get; set; } = PostResult.Ignored;
        public TaskCompletionSource<PostResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Answer() => Done.TrySetResult(Result);
    }

    private sealed class JoinWork(RoomMember member) : Work
    {
        public RoomMember Member => member;
        public RoomJoin? Result { get; set; }
        public TaskCompletionSource<RoomJoin> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Answer()
        {
            if (Result is { } join) Done.TrySetResult(join);
            else Done.TrySetException(new RoomClosedException());
        }
    }

    private sealed class LeaveWork(RoomMember member) : Work
    {
        public RoomMember Member => member;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Answer() => Done.TrySetResult();
    }

    private sealed class PublishWork(RoomEvent @event) : Work
    {
        public RoomEvent Event => @event;
        public bool Published { get; set; }
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Answer() => Done.TrySetResult(Published);
    }
}
