// skopeo's failures, as skopeo 1.9.3 printed them against docker-registry 2.8 here, in the words
// nexcage reports.
#include <gtest/gtest.h>

#include "nexcage/images/pull_error.hpp"

using namespace nexcage::images;

namespace {

std::string fatal(const std::string& msg) {
  return "time=\"2026-12-06T05:47:55Z\" level=fatal msg=\"" + msg + "\"\n";
}

}  // namespace

TEST(PullError, TheMessageIsSkopeosFatalLineUnquoted) {
  EXPECT_EQ(skopeo_message("noise\n" + fatal(R"(a \"quoted\" word\\x)")), R"(a "quoted" word\x)");
  EXPECT_EQ(skopeo_message("first\nlast line\n"), "last line");
}

TEST(PullError, AnswersAreClassified) {
  const std::pair<const char*, RegistryAnswer> cases[] = {
      {"initializing source docker://R/test/bb:nope: reading manifest nope in R/test/bb: manifest "
       "unknown: manifest unknown",
       RegistryAnswer::not_found},
      {"reading manifest 1 in 127.0.0.1:45124/test/bb: unauthorized: authentication required",
       RegistryAnswer::unauthorized},
      {"reading manifest latest in docker.io/library/nope: requested access to the resource is "
       "denied",
       RegistryAnswer::unauthorized},
      {"pinging container registry 127.0.0.1:45124: Get \"https://127.0.0.1:45124/v2/\": x509: "
       "certificate signed by unknown authority",
       RegistryAnswer::tls},
      {"pinging container registry R: Get \"https://R/v2/\": http: server gave HTTP response to "
       "HTTPS client",
       RegistryAnswer::tls},
      {"pinging container registry 127.0.0.1:45999: Get \"http://127.0.0.1:45999/v2/\": dial tcp "
       "127.0.0.1:45999: connect: connection refused",
       RegistryAnswer::unreachable},
      {"pinging container registry registry-1.docker.io: Get \"https://registry-1.docker.io/v2/\": "
       "dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host",
       RegistryAnswer::unreachable},
      {"getting username and password: 1 error occurred", RegistryAnswer::other},
  };
  for (const auto& [text, answer] : cases)
    EXPECT_EQ(classify_registry_answer(text), answer) << text;
}

TEST(PullError, TheErrorNamesTheRegistryItsAnswerAndTheFix) {
  auto e = pull_error("127.0.0.1:5000", "127.0.0.1:5000/test/bb:1",
                      fatal("reading manifest 1 in 127.0.0.1:5000/test/bb: unauthorized: "
                            "authentication required"));
  EXPECT_STREQ(e.what(),
               "registry 127.0.0.1:5000 refused 127.0.0.1:5000/test/bb:1: unauthorized: "
               "authentication required");
  EXPECT_NE(e.hint().find("podman login 127.0.0.1:5000"), std::string::npos) << e.hint();
  e = pull_error("r:1", "r:1/a:b",
                 fatal("reading manifest b in r:1/a: manifest unknown: manifest unknown"));
  EXPECT_EQ(e.kind(), nexcage::ErrorKind::not_found);
  EXPECT_STREQ(e.what(), "registry r:1 has no r:1/a:b: manifest unknown: manifest unknown");
  e = pull_error("r:1", "r:1/a:b",
                 fatal("pinging container registry r:1: Get \\\"https://r:1/v2/\\\": x509: "
                       "certificate signed by unknown authority"));
  EXPECT_STREQ(
      e.what(),
      "registry r:1 failed TLS verification: x509: certificate signed by unknown authority");
  EXPECT_NE(e.hint().find("/etc/containers/certs.d/r:1/ca.crt"), std::string::npos);
  e = pull_error("r:1", "r:1/a:b", fatal("something new"));
  EXPECT_STREQ(e.what(), "pulling r:1/a:b from r:1: something new");
  e = pull_error("r:1", "r:1/a:b", "");
  EXPECT_STREQ(e.what(), "pulling r:1/a:b from r:1: skopeo failed without a message");
}
