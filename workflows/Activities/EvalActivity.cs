using Microsoft.DurableTask;

namespace Eval.Workflows.Activities;

/// <summary>
/// An activity whose work does not depend on the Durable Task context, so the Functions app's
/// [ActivityTrigger] wrapper can call the very same code in one line.
/// </summary>
public abstract class EvalActivity<TInput, TOutput> : TaskActivity<TInput, TOutput>
{
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => RunAsync(input);

    public abstract Task<TOutput> RunAsync(TInput input);
}
