using Eval.LocalHost;
using Microsoft.DurableTask.Testing;

namespace Eval.UnitTests.Workflows;

/// <summary>The in-process Durable Task test hosts' settings.</summary>
static class InProcessHosts
{
    /// <summary>
    /// A port below the kernel's ephemeral range (FreePort): the test host's own choice came from that range, where an
    /// outgoing connection took it before the host bound it ("address already in use", seen once in a full run).
    /// </summary>
    public static DurableTaskTestHostOptions Options() => new() { Port = FreePort.Next() };
}
