namespace Eval.Application;

/// <summary>What holds for every request the application takes.</summary>
public static class Requests
{
    /// <summary>A request runs in well under this; work it claimed and left unfinished this long ago was abandoned.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(15);
}
