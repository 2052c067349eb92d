using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.Errors;

/// <summary>Writes the proxy's own errors in Anthropic's envelope, plus the SSE form used mid-stream.</summary>
public static class ErrorResponseWriter
{
    /// <summary><c>{"type":"error","error":{"type":…,"message":…}}</c> as UTF-8 bytes.</summary>
    public static byte[] Envelope(string type, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "error");
            json.WritePropertyName("error");
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A complete SSE error event, as the Messages API sends one mid-stream.</summary>
    public static byte[] SseErrorEvent(string type, string message)
    {
        var data = Encoding.UTF8.GetString(Envelope(type, message));
        return Encoding.UTF8.GetBytes($"event: error\ndata: {data}\n\n");
    }

    /// <summary>Answers the request with the outcome's error, unless the response has already started.</summary>
    /// <returns>False when the response had started and nothing could be written.</returns>
    /// <param name="allow">For 405: the <c>Allow</c> header's value.</param>
    public static async Task<bool> TryWriteAsync(HttpContext context, Outcome outcome, string message, CancellationToken cancellationToken, string? allow = null)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        var description = OutcomeCatalog.Describe(outcome);
        var status = description.Status ?? throw new UnreachableException($"outcome {outcome} has no answer of its own");
        var body = Envelope(description.ErrorType, message);

        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        response.Headers[OutcomeCatalog.ReasonHeader] = description.Reason;
        if (description.RetryCannotHelp)
        {
            response.Headers["x-should-retry"] = "false";
        }
        if (allow is not null)
        {
            response.Headers.Allow = allow;
        }
        if (description.RetryAfterSeconds is int seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        try
        {
            await response.Body.WriteAsync(body, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client went away; there is nobody left to tell.
        }
        return true;
    }
}
