using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Eval.Workflows.Activities;

/// <summary>
/// An activity that starts or signals other orchestration instances. The local runtime has a DurableTaskClient in
/// its services; the Functions app passes the one its [DurableClient] binding gives.
/// </summary>
public abstract class ClientActivity<TInput, TOutput>(IServiceProvider services) : EvalActivity<TInput, TOutput>
{
    public sealed override Task<TOutput> RunAsync(TInput input) => RunAsync(input, services.GetRequiredService<DurableTaskClient>());

    public abstract Task<TOutput> RunAsync(TInput input, DurableTaskClient client);
}
