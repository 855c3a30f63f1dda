using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>One response the host gave, with the route template of the endpoint that answered (null when no route matched).</summary>
public sealed record RecordedResponse(string Method, string? RoutePattern, string Path, int Status, string? ContentType, string Body);

/// <summary>Every response a test host gives, recorded by a middleware in front of the whole pipeline.</summary>
public sealed class ResponseLog
{
    private const int MaxBody = 256 * 1024;

    public ConcurrentQueue<RecordedResponse> Responses { get; } = new();

    public IStartupFilter StartupFilter() => new Filter(this);

    private sealed class Filter(ResponseLog log) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, nextMiddleware) =>
            {
                var original = http.Response.Body;
                using var copy = new MemoryStream();
                http.Response.Body = new TeeStream(original, copy);
                try
                {
                    await nextMiddleware(http);
                }
                finally
                {
                    http.Response.Body = original;
                    var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
                    var contentType = http.Response.ContentType;
                    var body = contentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true || copy.Length > MaxBody
                        ? string.Empty
                        : Encoding.UTF8.GetString(copy.ToArray());
                    log.Responses.Enqueue(new RecordedResponse(http.Request.Method, (endpoint as RouteEndpoint)?.RoutePattern.RawText, http.Request.Path.Value ?? string.Empty, http.Response.StatusCode, contentType, body));
                }
            });
            next(app);
        };
    }

    private sealed class TeeStream(Stream inner, MemoryStream copy) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (copy.Length <= MaxBody)
            {
                copy.Write(bytes);
            }
        }
    }
}
