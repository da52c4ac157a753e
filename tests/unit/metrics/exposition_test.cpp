#include "nexcage/metrics/exposition.hpp"

#include <gtest/gtest.h>

using namespace nexcage::metrics;

TEST(Exposition, LabelValuesAndHelpAreEscaped) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Exposition out;
  out.family("x_total", "counter", "help with \\ and\nnewline and \"quotes\"");
  out.sample("x_total", {{"id", "we\"ird"}}, 3);
  EXPECT_EQ(out.text(),
            "# HELP x_total help with \\\\ and\\nnewline and \"quotes\"\n"
            "# TYPE x_total counter\n"
            "x_total{id=\"we\\\"ird\"} 3\n");
}

TEST(Exposition, ValuesAreIntegersOrShortestDecimals) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(851968), "851968");
  EXPECT_EQ(format_value(0.040719602), "0.040719602");
  EXPECT_EQ(format_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(format_value(1e20), "1e+20");
}

TEST(Exposition, HistogramBucketsAreCumulativeWithInfAndCount) {
  Histogram h;
  h.buckets[0] = 2;
  h.buckets[3] = 1;
  h.count = 4;  // one above the last bound
  h.sum = 400.5;
  Exposition out;
  out.histogram("d_seconds", {{"operation", "create"}}, h);
  const auto& text = out.text();
  EXPECT_NE(text.find("d_seconds_bucket{operation=\"create\",le=\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{operation=\"create\",le=\"0.025\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{operation=\"create\",le=\"0.05\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{operation=\"create\",le=\"300\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{operation=\"create\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_sum{operation=\"create\"} 400.5\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_count{operation=\"create\"} 4\n"), std::string::npos);
}
