using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.RentToOwn.Listings;

// An agent lists a vehicle for rent-to-own: the request, its validation, the handler and the endpoint.

public sealed record CreateListingRequest(
    VehicleType Type,
    [property: StringLength(CreateListingValidator.MaxTextLength), RegularExpression(InputFormats.Text)] string Make,
    [property: StringLength(CreateListingValidator.MaxTextLength), RegularExpression(InputFormats.Text)] string Model,
    int Year,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal Price,
    [property: Range(0, double.MaxValue, MinimumIsExclusive = true)] decimal WeeklyInstalment,
    [property: StringLength(CreateListingValidator.MaxTextLength), RegularExpression(InputFormats.Text)] string Location);

public sealed class CreateListingValidator : AbstractValidator<CreateListingRequest>
{
    /// <summary>Make, model and location: what a listing card shows.</summary>
    public const int MaxTextLength = 100;

    private static readonly string TextRule = $"Required: at most {MaxTextLength} characters, no control characters.";

    public CreateListingValidator()
    {
        RuleFor(r => r.Type).IsInEnum().WithMessage("Type must be motorcycle, car, van or truck.");
        RuleFor(r => r.Make).Must(IsText).WithMessage(TextRule);
        RuleFor(r => r.Model).Must(IsText).WithMessage(TextRule);
        RuleFor(r => r.Location).Must(IsText).WithMessage(TextRule);
        RuleFor(r => r.Currency).Must(Currency.IsValidCode).WithMessage("An ISO 4217 currency code is required.");
        RuleFor(r => r.Price).GreaterThan(0).WithMessage("The price is positive.");
        RuleFor(r => r.WeeklyInstalment).GreaterThan(0).WithMessage("The weekly instalment is positive.");
    }

    private static bool IsText(string? value) => InputFormats.IsText(value, MaxTextLength);
}

public sealed class CreateListingHandler(IListingStore store, TimeProvider time)
{
    /// <param name="request">Already accepted by <see cref="CreateListingValidator"/>.</param>
    public async Task<ListingView> HandleAsync(CreateListingRequest request, string tenantId, CancellationToken cancellationToken)
    {
        var listing = New(request, tenantId, Guid.NewGuid().ToString("N"), source: null);
        await store.CreateAsync(listing, cancellationToken);
        return ListingView.From(listing, time.GetUtcNow());
    }

    /// <summary>
    /// Creates the listing under <paramref name="id"/> unless it exists: the id is the caller's idempotency key (a hand-off),
    /// and the store's create-if-absent decides between a retry and a race, so the vehicle is listed once.
    /// </summary>
    /// <param name="request">Already accepted by <see cref="CreateListingValidator"/>.</param>
    /// <returns>The listing as stored, and whether this call created it.</returns>
    public async Task<(Listing Listing, bool Created)> CreateOnceAsync(CreateListingRequest request, string tenantId, string id, ListingSource source,
        CancellationToken cancellationToken)
    {
        var listing = New(request, tenantId, id, source);
        try
        {
            await store.CreateAsync(listing, cancellationToken);
            return (listing, true);
        }
        catch (ConflictException)
        {
            var existing = await store.GetAsync(tenantId, id, cancellationToken);
            if (existing is null)
            {
                throw;
            }

            return (existing, false);
        }
    }

    private static Listing New(CreateListingRequest request, string tenantId, string id, ListingSource? source)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Listing
        {
            Id = id,
            TenantId = tenantId,
            Type = request.Type,
            Make = request.Make.Trim(),
            Model = request.Model.Trim(),
            Year = request.Year,
            Currency = request.Currency,
            Price = request.Price,
            WeeklyInstalment = request.WeeklyInstalment,
            Location = request.Location.Trim(),
            Source = source,
        };
    }
}

public static class CreateListingEndpoint
{
    public static async Task<Created<ListingView>> CreateAsync(CreateListingRequest request, HttpContext http, [FromServices] IValidator<CreateListingRequest> validator,
        [FromServices] CreateListingHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handler);
        validator.ValidateOrThrow(request);
        var view = await handler.HandleAsync(request, CurrentUser.FromPrincipal(http.User).TenantId, cancellationToken);
        return TypedResults.Created($"/api/listings/{view.Id}", view);
    }
}
