using System.Buffers;

namespace Eval.Api.Exports;

/// <summary>
/// A forward-only stream in front of the HTTP response that never writes to it synchronously. The zip archive under an
/// XLSX writes each part's data descriptor (a few bytes) with a synchronous write when the part is closed, and the
/// response takes no synchronous writes (Kestrel throws; the Functions worker's response likewise). Writes, synchronous or
/// not, go into a buffer, which asynchronous writes pass on to the response once it holds <see cref="FlushAt"/> bytes,
/// and <see cref="FlushAsync(CancellationToken)"/> and disposal whatever it holds: the file is streamed, never held whole.
/// </summary>
public sealed class AsyncOnlyStream(Stream response) : Stream
{
    public const int FlushAt = 64 * 1024;

    readonly ArrayBufferWriter<byte> pending = new(FlushAt * 2);
    long written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    /// <summary>The bytes written so far (a zip archive on a stream that cannot seek asks for it).</summary>
    public override long Position { get => written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Held until the next asynchronous write or flush: nothing reaches the response synchronously.</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        pending.Write(buffer);
        written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        if (pending.WrittenCount >= FlushAt) await PassOnAsync(cancellationToken);
    }

    /// <summary>Nothing: a synchronous flush would write synchronously. The next asynchronous write or flush passes it on.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await PassOnAsync(cancellationToken);
        await response.FlushAsync(cancellationToken);
    }

    /// <summary>Passes on what is held; the response itself stays open (it is the server's).</summary>
    public override async ValueTask DisposeAsync()
    {
        await PassOnAsync(CancellationToken.None);
        await base.DisposeAsync();
    }

    async Task PassOnAsync(CancellationToken cancellationToken)
    {
        if (pending.WrittenCount == 0) return;
        await response.WriteAsync(pending.WrittenMemory, cancellationToken);
        pending.ResetWrittenCount();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
