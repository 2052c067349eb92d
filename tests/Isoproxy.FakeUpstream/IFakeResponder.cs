using Microsoft.AspNetCore.Http;

namespace Isoproxy.FakeUpstream;

/// <summary>Answers one request the fake upstream has already recorded.</summary>
public interface IFakeResponder
{
    /// <summary>
    /// Writes the answer. <paramref name="cancellationToken"/> fires when the client goes away or
    /// the server is disposed; the server then aborts the connection, so responders may simply let
    /// the resulting <see cref="OperationCanceledException"/> escape.
    /// </summary>
    Task RespondAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken);
}
