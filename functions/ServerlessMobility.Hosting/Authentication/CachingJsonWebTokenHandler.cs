using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ServerlessMobility.Hosting.Authentication;

/// <summary>
/// The JWT handler the bearer scheme validates with, remembering for a short time the tokens it has found valid. A client
/// sends the same token with every request until it expires, and validating it again (decoding, JSON parsing, the
/// signature, building the claims) was two thirds of the platform pipeline's CPU on <c>GET /api/me</c>
/// (docs/performance.md). A remembered token is accepted until the earlier of its own expiry and
/// <see cref="AuthOptions.ValidatedTokenCacheTime"/> after it was validated, so what the cache can delay is only the
/// effect of a change of signing keys or validation settings, by at most that time. Only valid tokens are remembered,
/// keyed by their exact text: an altered token is validated afresh, and a bad token costs a full validation every time.
/// </summary>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler
{
    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeToLive;
    private readonly int _maxEntries;
    private readonly TimeProvider _time;

    /// <param name="timeToLive">How long a validated token is remembered; zero validates every time.</param>
    /// <param name="maxEntries">Tokens remembered at most; when full, all are forgotten (a burst of new users costs a re-validation each).</param>
    public CachingJsonWebTokenHandler(TimeSpan timeToLive, int maxEntries, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToLive, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _timeToLive = timeToLive;
        _maxEntries = maxEntries;
        _time = time;
    }

    /// <summary>Tokens remembered now (tests and diagnostics).</summary>
    public int Count => _validated.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_timeToLive <= TimeSpan.Zero || string.IsNullOrEmpty(token))
        {
            return await base.ValidateTokenAsync(token, validationParameters);
        }

        var now = _time.GetUtcNow();
        if (_validated.TryGetValue(token, out var remembered))
        {
            if (now < remembered.Until)
            {
                return remembered.Result();
            }

            _validated.TryRemove(new KeyValuePair<string, Validated>(token, remembered));
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.ClaimsIdentity is { } identity && result.SecurityToken is { } securityToken)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc));
            var until = now + _timeToLive < expires ? now + _timeToLive : expires;
            if (_validated.Count >= _maxEntries)
            {
                _validated.Clear();
            }

            // A copy of the identity: the request that validated the token owns the one in its result.
            _validated[token] = new Validated(identity.Clone(), securityToken, result.Issuer, result.TokenType, until);
        }

        return result;
    }

    private sealed record Validated(System.Security.Claims.ClaimsIdentity Identity, SecurityToken SecurityToken, string Issuer, string TokenType, DateTimeOffset Until)
    {
        /// <summary>Each request gets its own identity: claims transformations and handlers may add to it.</summary>
        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            ClaimsIdentity = Identity.Clone(),
            SecurityToken = SecurityToken,
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
