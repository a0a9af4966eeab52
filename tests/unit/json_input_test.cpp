#include "models/json_input.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

TEST_CASE("did_you_mean suggests near misses only")
{
  CHECK(did_you_mean("latncy", {"bandwidth", "latency", "sharing"}) == "latency");
  CHECK(did_you_mean("Speed", {"speed", "cores"}) == "speed");
  CHECK(did_you_mean("colour", {"bandwidth", "latency"}).empty());
}

TEST_CASE("JSON syntax errors name line and column")
{
  try {
    parse_json_text("{\n  \"a\": 1,\n  \"b\": ]\n}", "f.json");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("f.json: line 3, column") != std::string::npos);
    CHECK(what.find("invalid JSON") != std::string::npos);
  }
}

TEST_CASE("duplicate keys are reported by pointer instead of silently keeping the last")
{
  try {
    parse_json_text(R"({"platform": {"sites": [{"name": "a"}, {"name": "b", "name": "c"}]}})", "f.json");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].pointer == "/platform/sites/1/name");
  }
  CHECK_NOTHROW(parse_json_text(R"({"a": [{"x": 1}, {"x": 2}], "b": {"x": 3}})", "f.json"));
}

TEST_CASE("ObjectReader reports unknown keys and wrong types and ranges with pointers")
{
  const Json doc = Json::parse(R"({"speed": -5, "cores": 2.5, "latncy": "1ms", "name": 3, "link": "x"})");
  Diagnostics d;
  ObjectReader r(doc, "/platform/nodes/0", d, {"speed", "cores", "latency", "name", "link", "missing"});
  CHECK_FALSE(r.quantity("speed", Quantity::speed, true, Range::positive()));
  CHECK_FALSE(r.integer("cores", true, 1, 10));
  CHECK_FALSE(r.string("name", true));
  CHECK_FALSE(r.object("link", true));
  CHECK_FALSE(r.string("missing", true));
  REQUIRE(d.size() == 6);
  CHECK(d.items()[0].pointer == "/platform/nodes/0/latncy");
  CHECK(d.items()[0].message.find("did you mean 'latency'") != std::string::npos);
  CHECK(d.items()[1].message == "must be > 0, got -5 flop/s");
  CHECK(d.items()[2].message.find("must be an integer, got 2.5") != std::string::npos);
  CHECK(d.items()[3].message == "must be a string, got a number");
  CHECK(d.items()[4].message == "must be an object, got a string");
  CHECK(d.items()[5].pointer == "/platform/nodes/0/missing");
  CHECK(d.items()[5].message == "required key is missing");
}

TEST_CASE("choices list the options and suggest the closest")
{
  const Json doc = Json::parse(R"({"name": "least_loded"})");
  Diagnostics d;
  ObjectReader r(doc, "/policy", d, {"name"});
  CHECK_FALSE(r.choice("name", true, {"round_robin", "least_loaded"}));
  REQUIRE(d.size() == 1);
  CHECK(d.items()[0].message.find("did you mean 'least_loaded'") != std::string::npos);
}

TEST_CASE("pointer tokens are escaped")
{
  CHECK(join_pointer("/expect", "/metrics/x") == "/expect/~1metrics~1x");
  CHECK(join_pointer("", "a~b") == "/a~0b");
}
