using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Hosting.Authentication;

public static class AuthenticationSetup
{
    /// <summary>
    /// JWT bearer on every route unless it opts out (health, docs, webhooks). Development validates
    /// the local dev key; other environments validate issuer, audience, lifetime and signature
    /// against the configured OpenID Connect authority.
    /// </summary>
    public static void AddPlatformAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(o => isDevelopment || !string.IsNullOrWhiteSpace(o.Authority), "Auth:Authority is required outside Development.")
            .ValidateOnStart();
        if (isDevelopment)
        {
            builder.Services.AddSingleton<DevTokenIssuer>();
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IServiceProvider>((jwt, auth, services) =>
            {
                var options = auth.Value;
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new CachingJsonWebTokenHandler(options.ValidatedTokenCacheTime, 10_000, services.GetRequiredService<TimeProvider>()));
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = TokenValidation(options);
                if (isDevelopment)
                {
                    jwt.TokenValidationParameters.IssuerSigningKey = services.GetRequiredService<DevTokenIssuer>().SigningKey;
                    jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
                else
                {
                    jwt.Authority = options.Authority;
                    jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                    jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
                }

                jwt.Events = new JwtBearerEvents
                {
                    // A token's tenant_id must be one JSON string that is a tenant id: an array (even of one), a
                    // number or a string that could not be a storage key is ambiguous, and the token is refused
                    // before any handler runs (CurrentUser checks again, for principals made elsewhere).
                    OnTokenValidated = context =>
                    {
                        if (!TenantClaim.IsOneValidTenant(context.SecurityToken))
                        {
                            context.Fail("The access token's tenant_id is not one tenant id.");
                        }

                        return Task.CompletedTask;
                    },
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        var detail = context.AuthenticateFailure is null
                            ? "An access token is required (Authorization: Bearer <token>)."
                            : "The access token is invalid or expired.";
                        return WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
                    },
                    OnForbidden = context =>
                        WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this operation."),
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(PlatformClaims.TenantId)
                .Build());
    }

    private static async Task WriteProblemAsync(HttpContext httpContext, int status, string title, string detail)
    {
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>What every access token must satisfy, in both hosts (signing keys and algorithms are added per environment).</summary>
    public static TokenValidationParameters TokenValidation(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = options.Issuer,
            ValidateAudience = true,
            ValidAudience = options.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = PlatformClaims.Subject,
            RoleClaimType = PlatformClaims.Roles,
        };
    }
}
