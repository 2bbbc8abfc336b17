using System.Net.Sockets;
using Azure;
using Eval.Api.Http;
using Grpc.Core;

namespace Eval.UnitTests.Api;

/// <summary>Which failures are a dependency's (503, send again) and which are ours (500).</summary>
public sealed class OutagesTests
{
    public static TheoryData<string, Exception, bool> Cases => new()
    {
        { "storage unreachable", new RequestFailedException(0, "connection refused"), true },
        { "storage busy", new RequestFailedException(503, "server busy"), true },
        { "storage timed out", new RequestFailedException(408, "timeout"), true },
        { "a missing row", new RequestFailedException(404, "not found"), false },
        { "a lost ETag race", new RequestFailedException(412, "precondition failed"), false },
        { "task hub unreachable", new RpcException(new Status(StatusCode.Unavailable, "no sidecar")), true },
        { "task hub failed inside", new RpcException(new Status(StatusCode.Unknown, "exception in handler")), true },
        { "a bad argument to the task hub", new RpcException(new Status(StatusCode.InvalidArgument, "bad")), false },
        { "socket refused", new SocketException((int)SocketError.ConnectionRefused), true },
        { "wrapped", new InvalidOperationException("outer", new HttpRequestException("refused")), true },
        { "aggregate", new AggregateException(new ArgumentException("a"), new RequestFailedException(0, "b")), true },
        { "a bug", new InvalidOperationException("unreachable"), false },
        { "a null", new NullReferenceException(), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_exception_is_an_outage_only_when_a_dependency_failed(string what, Exception e, bool outage) =>
        Assert.True(Outages.IsOutage(e) == outage, $"{what}: expected {(outage ? "an outage (503)" : "a bug (500)")}");
}
