using ServerlessMobility.Showroom.LeadScoring;

namespace ServerlessMobility.Showroom.Tests.LeadScoring;

/// <summary>The synthetic data, the model trained on it and the explanations, without storage (the HTTP tests cover the blobs).</summary>
public sealed class LeadScoringModelTests
{
    private static readonly Lazy<TrainedLeadModel> Trained = new(() => LeadScoreTrainer.Train(SyntheticLeadGenerator.Generate(2000, 22), 22));

    [Fact]
    public void Generator_SameSeed_SameRows_OtherSeed_OtherRows()
    {
        var first = SyntheticLeadGenerator.Generate(300, 7);
        var again = SyntheticLeadGenerator.Generate(300, 7);
        var other = SyntheticLeadGenerator.Generate(300, 8);

        Assert.Equal(first.Select(Describe), again.Select(Describe));
        Assert.NotEqual(first.Select(Describe), other.Select(Describe));
    }

    [Fact]
    public void Generator_RowsAreRealistic_AndFollowTheDocumentedRelationship()
    {
        var leads = SyntheticLeadGenerator.Generate(4000, 22);

        // One source each; ages, ratios and response times inside their caps.
        Assert.All(leads, l => Assert.Equal(1f, l.Features[0] + l.Features[1] + l.Features[2]));
        Assert.All(leads, l => Assert.InRange(l.Features[3], 0f, LeadFeatures.MaxDays));
        Assert.All(leads, l => Assert.InRange(l.Features[6], 0.4f, 1.6f));
        Assert.All(leads, l => Assert.InRange(l.Features[10], 0f, LeadFeatures.MaxResponseHours));
        Assert.All(leads.Where(l => l.Features[2] == 1f), l => Assert.Equal(1f, l.Features[5]));

        // Showrooms win a minority of leads, not none and not most.
        var wonRate = leads.Count(l => l.Won) / (double)leads.Count;
        Assert.InRange(wonRate, 0.2, 0.6);

        // The label follows the logistic relationship: pre-approved finance and a test drive win more often.
        Assert.True(WinRate(leads, 7, true) > WinRate(leads, 7, false) + 0.1, "finance pre-approval should raise the win rate");
        Assert.True(WinRate(leads, 5, true) > WinRate(leads, 5, false) + 0.1, "a test drive should raise the win rate");
        Assert.All(leads, l => Assert.Equal(SyntheticLeadGenerator.Sigmoid(SyntheticLeadGenerator.LogOdds(l.Features)), l.TrueProbability, 10));
    }

    /// <summary>
    /// The threshold: the generator adds N(0, 0.6²) noise to the log-odds and draws the outcome, so even the true probabilities
    /// rank held-out leads imperfectly (about 0.84 on these 1,500). The model may not be much worse than that ceiling (within
    /// 0.05 of it; it reaches about 0.82) and must clear 0.78 outright, far above 0.5 (chance) and above the best single
    /// feature alone (about 0.66). The trainer's own 400-row split is noisier, so 0.75 there.
    /// </summary>
    [Fact]
    public void Training_HeldOutAuc_IsCloseToWhatTheTrueProbabilitiesAchieve()
    {
        var model = new LoadedLeadModel(1, Trained.Value.Zip);
        var heldOut = SyntheticLeadGenerator.Generate(1500, 23);

        var modelAuc = Auc(heldOut.Select(l => ((double)model.Score(l.Features).Probability, l.Won)));
        var ceiling = Auc(heldOut.Select(l => (l.TrueProbability, l.Won)));
        var bestSingleFeature = Enumerable.Range(0, LeadFeatures.Count).Max(i => Math.Max(Auc(heldOut.Select(l => ((double)l.Features[i], l.Won))), Auc(heldOut.Select(l => (-(double)l.Features[i], l.Won)))));

        TestContext.Current.TestOutputHelper?.WriteLine($"held-out AUC {modelAuc:F3}, true probabilities {ceiling:F3}, best single feature {bestSingleFeature:F3}, trainer's split {Trained.Value.Metrics}");
        Assert.True(modelAuc >= 0.78, $"AUC {modelAuc:F3} on held-out leads (ceiling {ceiling:F3})");
        Assert.True(modelAuc >= ceiling - 0.05, $"AUC {modelAuc:F3} vs the true probabilities' {ceiling:F3}");
        Assert.True(modelAuc > bestSingleFeature + 0.03, $"AUC {modelAuc:F3} vs the best single feature's {bestSingleFeature:F3}");
        Assert.True(Trained.Value.Metrics.Auc >= 0.75, $"the trainer's own held-out split: AUC {Trained.Value.Metrics.Auc}");
        Assert.InRange(Trained.Value.Metrics.TestRows, 320, 480);
        Assert.InRange(Trained.Value.Metrics.Accuracy, 0.65, 1);
    }

    [Fact]
    public void Training_IsReproducible()
    {
        var again = LeadScoreTrainer.Train(SyntheticLeadGenerator.Generate(2000, 22), 22);
        var probe = SyntheticLeadGenerator.Generate(50, 99);
        var first = new LoadedLeadModel(1, Trained.Value.Zip);
        var second = new LoadedLeadModel(2, again.Zip);

        Assert.Equal(Trained.Value.Metrics, again.Metrics);
        Assert.Equal(probe.Select(l => first.Score(l.Features).Probability), probe.Select(l => second.Score(l.Features).Probability));
    }

    [Fact]
    public void Explanation_NamesEveryFeature_SortedByMagnitude_AndPointsTheRightWay()
    {
        var model = new LoadedLeadModel(1, Trained.Value.Zip);
        var strong = LeadFeatures.Vector(Showroom.Leads.LeadSource.TestDrive, 3, 6, true, 1.2f, true, true, true, 1);
        var weak = LeadFeatures.Vector(Showroom.Leads.LeadSource.Web, 90, 0, false, 0.5f, false, false, false, 90);

        var strongScore = model.Score(strong);
        var weakScore = model.Score(weak);
        var strongWhy = LeadScorer.Explain(strong, strongScore.FeatureContributions);
        var weakWhy = LeadScorer.Explain(weak, weakScore.FeatureContributions);

        Assert.True(strongScore.Probability > 0.8, $"strong lead: {strongScore.Probability}");
        Assert.True(weakScore.Probability < 0.2, $"weak lead: {weakScore.Probability}");
        foreach (var why in new[] { strongWhy, weakWhy })
        {
            Assert.Equal(LeadFeatures.All.Select(f => f.Name).Order(StringComparer.Ordinal), why.Select(c => c.Feature).Order(StringComparer.Ordinal));
            Assert.All(why, c => Assert.False(string.IsNullOrWhiteSpace(c.Description)));
            Assert.Equal(why.Select(c => Math.Abs(c.Contribution)).OrderDescending(), why.Select(c => Math.Abs(c.Contribution)));
            Assert.Contains(why, c => c.Contribution != 0);
        }

        // What the generator rewards raises the strong lead's score; what it punishes lowers the weak one's.
        Assert.Equal("raises", strongWhy.Single(c => c.Feature == "financePreApproved").Effect);
        Assert.Equal("raises", strongWhy.Single(c => c.Feature == "testDriveTaken").Effect);
        Assert.Equal("lowers", weakWhy.Single(c => c.Feature == "budgetToPriceRatio").Effect);
        Assert.Equal("raises", strongWhy[0].Effect);
        Assert.Equal("lowers", weakWhy[0].Effect);
    }

    private static string Describe(SyntheticLead lead) => string.Join(',', lead.Features) + (lead.Won ? ":won" : ":lost");

    private static double WinRate(IReadOnlyList<SyntheticLead> leads, int feature, bool set) =>
        leads.Where(l => (l.Features[feature] == 1f) == set).Average(l => l.Won ? 1.0 : 0.0);

    /// <summary>Area under the ROC curve as the Mann–Whitney statistic: the share of (won, lost) pairs ranked right, ties half.</summary>
    private static double Auc(IEnumerable<(double Score, bool Won)> scored)
    {
        var list = scored.ToList();
        var won = list.Where(s => s.Won).Select(s => s.Score).ToList();
        var lost = list.Where(s => !s.Won).Select(s => s.Score).Order().ToArray();
        double pairs = 0;
        foreach (var w in won)
        {
            var below = LowerBound(lost, w);
            var notAbove = UpperBound(lost, w);
            pairs += below + ((notAbove - below) / 2.0);
        }

        return pairs / ((double)won.Count * lost.Length);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }
}
