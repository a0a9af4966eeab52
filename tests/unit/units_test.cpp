#include "models/units.hpp"

#include <doctest/doctest.h>

using leptonsim::models::parse_quantity;
using leptonsim::models::Quantity;

namespace {
double value(const char* text, Quantity q)
{
  auto r = parse_quantity(text, q);
  REQUIRE_MESSAGE(r.value.has_value(), r.error);
  return *r.value;
}
std::string error(const char* text, Quantity q)
{
  auto r = parse_quantity(text, q);
  REQUIRE_FALSE(r.value.has_value());
  return r.error;
}
}  // namespace

TEST_CASE("times use SimGrid's suffixes")
{
  CHECK(value("20ms", Quantity::time) == doctest::Approx(0.020));
  CHECK(value("1.5s", Quantity::time) == 1.5);
  CHECK(value("2h", Quantity::time) == 7200);
  CHECK(value("3m", Quantity::time) == 180);
  CHECK(value("1w", Quantity::time) == 7 * 24 * 3600);
  CHECK(value("250us", Quantity::time) == doctest::Approx(250e-6));
  CHECK(value(" 7 ns ", Quantity::time) == doctest::Approx(7e-9));
  CHECK(value("1e-3s", Quantity::time) == doctest::Approx(1e-3));
}

TEST_CASE("sizes and bandwidths accept decimal and binary prefixes in bytes or bits")
{
  CHECK(value("200B", Quantity::size) == 200);
  CHECK(value("4KiB", Quantity::size) == 4096);
  CHECK(value("1.5MB", Quantity::size) == 1.5e6);
  CHECK(value("8b", Quantity::size) == 1);
  CHECK(value("1GiB", Quantity::size) == 1073741824.0);
  CHECK(value("1Gbps", Quantity::bandwidth) == 125e6);
  CHECK(value("100MBps", Quantity::bandwidth) == 100e6);
  CHECK(value("1Kibps", Quantity::bandwidth) == 128);
}

TEST_CASE("speeds and work are flop with short or long prefixes")
{
  CHECK(value("10Gf", Quantity::speed) == 10e9);
  CHECK(value("2.5Mf", Quantity::work) == 2.5e6);
  CHECK(value("1gigaflops", Quantity::speed) == 1e9);
  CHECK(value("3f", Quantity::speed) == 3);
  CHECK(value("95W", Quantity::power) == 95);
  CHECK(value("1.2kW", Quantity::power) == 1200);
}

TEST_CASE("malformed quantities explain what is expected")
{
  CHECK(error("", Quantity::time).find("empty") != std::string::npos);
  CHECK(error("fast", Quantity::speed).find("does not start with a number") != std::string::npos);
  CHECK(error("5", Quantity::time).find("has no unit") != std::string::npos);
  CHECK(error("5 parsecs", Quantity::time).find("unknown unit 'parsecs'") != std::string::npos);
  CHECK(error("10Gbps", Quantity::speed).find("unknown unit") != std::string::npos);
  CHECK(error("NaNs", Quantity::time).find("number") != std::string::npos);
  CHECK(error("infs", Quantity::time).find("finite") != std::string::npos);
  CHECK(error("1e400s", Quantity::time).find("range") != std::string::npos);
  CHECK(error("1e300Yf", Quantity::speed).find("overflows") != std::string::npos);
}
