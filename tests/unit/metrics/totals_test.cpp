#include "nexcage/metrics/totals.hpp"

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"

using namespace nexcage;
using namespace nexcage::metrics;

TEST(MetricsSample, LineRoundTrips) {
  Sample sample{"create", "runc", "ok", 0.0123456789};
  auto line = sample_line(sample);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, "create runc ok 12345679\n");
  auto back = parse_sample_line(line->substr(0, line->size() - 1));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->operation, "create");
  EXPECT_EQ(back->backend, "runc");
  EXPECT_EQ(back->result, "ok");
  EXPECT_NEAR(back->seconds, 0.012345679, 1e-12);
}

TEST(MetricsSample, NoBackendIsADash) {
  auto line = sample_line(Sample{"list", "", "ok", 0.001});
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, "list - ok 1000000\n");
  auto back = parse_sample_line("list - ok 1000000");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->backend, "");
}

TEST(MetricsSample, RefusesWhatIsNotATokenOrANumber) {
  EXPECT_FALSE(sample_line(Sample{"cre ate", "runc", "ok", 1}));
  EXPECT_FALSE(sample_line(Sample{"create", "Runc", "ok", 1}));
  EXPECT_FALSE(sample_line(Sample{"create", "runc", "", 1}));
  EXPECT_FALSE(sample_line(Sample{"create", "runc", "ok", -1}));
  EXPECT_FALSE(sample_line(Sample{std::string(65, 'a'), "runc", "ok", 1}));
  for (const char* bad : {"", "create runc ok", "create runc ok 12 13", "create runc ok -5",
                          "create runc ok 1.5", "create runc ok 12x", "create  runc ok 1",
                          "create runc\tok 1", "create runc ok 99999999999999999999999"})
    EXPECT_FALSE(parse_sample_line(bad)) << bad;
}

TEST(MetricsTotals, BucketsCountEachSampleOnceAndTheSumAddsUp) {
  Totals totals;
  totals.add(Sample{"state", "crun", "ok", 0.004});   // first bucket (le 0.005)
  totals.add(Sample{"state", "crun", "ok", 0.005});   // le is inclusive
  totals.add(Sample{"state", "crun", "ok", 0.3});     // le 0.5
  totals.add(Sample{"state", "crun", "ok", 1000.0});  // above the last bound: +Inf only
  totals.add(Sample{"state", "crun", "not_found", 0.001});
  EXPECT_EQ((totals.counts[{"state", "crun", "ok"}]), 4u);
  EXPECT_EQ((totals.counts[{"state", "crun", "not_found"}]), 1u);
  const auto& h = totals.durations[{"state", "crun"}];
  EXPECT_EQ(h.count, 5u);
  EXPECT_EQ(h.buckets[0], 3u);
  EXPECT_EQ(h.buckets[6], 1u);  // 0.5
  uint64_t in_buckets = 0;
  for (auto n : h.buckets) in_buckets += n;
  EXPECT_EQ(in_buckets, 4u);
  EXPECT_NEAR(h.sum, 1000.31, 1e-9);
}

TEST(MetricsTotals, AddLinesSkipsDamagedLinesAndATornLastOne) {
  Totals totals;
  auto bad = totals.add_lines("start runc ok 1000\ngarbage\nkill runc ok 2000\nstart runc ok 30");
  EXPECT_EQ(bad, 2u);
  EXPECT_EQ((totals.counts[{"start", "runc", "ok"}]), 1u);
  EXPECT_EQ((totals.counts[{"kill", "runc", "ok"}]), 1u);
}

TEST(MetricsTotals, SerializeAndParseRoundTrip) {
  Totals totals;
  totals.folded_through = 42;
  totals.add(Sample{"create", "pct", "ok", 12.5});
  totals.add(Sample{"create", "pct", "backend", 0.25});
  totals.add(Sample{"list", "", "ok", 0.002});
  auto text = serialize(totals);
  auto back = parse_totals(text);
  EXPECT_EQ(back.folded_through, 42u);
  EXPECT_EQ(back.counts, totals.counts);
  ASSERT_EQ(back.durations.size(), totals.durations.size());
  for (const auto& [key, h] : totals.durations) {
    EXPECT_EQ(back.durations[key].buckets, h.buckets);
    EXPECT_EQ(back.durations[key].count, h.count);
    EXPECT_DOUBLE_EQ(back.durations[key].sum, h.sum);
  }
  EXPECT_EQ(serialize(back), text);
}

TEST(MetricsTotals, ParseRefusesWhatSerializeNeverWrites) {
  const std::string zeros = " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";
  for (const std::string bad :
       {std::string(""), std::string("nexcage-metrics 2 0\n"), std::string("hello\n"),
        std::string("nexcage-metrics 1 0"),  // no newline
        std::string("nexcage-metrics 1 0\ncount create runc ok\n"),
        std::string("nexcage-metrics 1 0\ncount create runc ok x\n"),
        std::string("nexcage-metrics 1 0\ncount Create runc ok 1\n"),
        std::string("nexcage-metrics 1 0\nsum create runc ok 1\n"),
        std::string("nexcage-metrics 1 0\nduration create runc 1 0.5 0 0\n"),
        std::string("nexcage-metrics 1 0\nduration create runc 1 -0.5") + zeros + "\n",
        std::string("nexcage-metrics 1 0\nduration create runc 1 nan") + zeros + "\n",
        // more samples in the buckets than counted
        std::string("nexcage-metrics 1 0\nduration create runc 1 0.5 2 0 0 0 0 0 0 0 0 0 0 0 0 0 "
                    "0\n")}) {
    EXPECT_THROW(parse_totals(bad), Error) << bad;
  }
}
