using System.Globalization;

namespace Isoproxy.Limits;

/// <summary>The client's body crossed <c>max_request_bytes</c> while streaming.</summary>
public sealed class RequestTooLargeException(long maxBytes)
    : IOException(string.Create(CultureInfo.InvariantCulture, $"request body exceeds max_request_bytes ({maxBytes} bytes)"));
