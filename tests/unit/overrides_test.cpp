#include "models/overrides.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

TEST_CASE("values parse as JSON when they can and as strings otherwise")
{
  CHECK(parse_override("/seed=5").value == Json(5));
  CHECK(parse_override("/policy/name=round_robin").value == Json("round_robin"));
  CHECK(parse_override("/a=\"10Gf\"").value == Json("10Gf"));
  CHECK(parse_override("/a=[1,2]").value == Json::array({1, 2}));
  CHECK(parse_override("/a=").value == Json(""));
  CHECK_THROWS_AS(parse_override("seed=5"), InputError);
  CHECK_THROWS_AS(parse_override("/seed"), InputError);
}

TEST_CASE("overrides replace values and add keys and append")
{
  Json doc = Json::parse(R"({"seed": 1, "list": [1, 2], "policy": {"name": "x"}})");
  apply_overrides(doc, {parse_override("/seed=9"), parse_override("/policy/name=round_robin"),
                        parse_override("/list/1=7"), parse_override("/list/-=8"), parse_override("/list/3=9"),
                        parse_override("/new=true")});
  CHECK(doc["seed"] == 9);
  CHECK(doc["policy"]["name"] == "round_robin");
  CHECK(doc["list"] == Json::array({1, 7, 8, 9}));
  CHECK(doc["new"] == true);
}

TEST_CASE("overrides into nothing are errors")
{
  Json doc = Json::parse(R"({"a": {"b": 1}, "list": [1]})");
  CHECK_THROWS_AS(apply_overrides(doc, {parse_override("/x/y=1")}), InputError);
  CHECK_THROWS_AS(apply_overrides(doc, {parse_override("/list/5=1")}), InputError);
  CHECK_THROWS_AS(apply_overrides(doc, {parse_override("/list/x=1")}), InputError);
  CHECK_THROWS_AS(apply_overrides(doc, {parse_override("/a/b/c=1")}), InputError);
}

TEST_CASE("array indices are digits without a leading zero")
{
  for (const char* good : {"0", "7", "10", "123456789"})
    CHECK(is_array_index(good));
  for (const char* bad : {"", "-", "01", "1a", "-1", "1234567890"})
    CHECK(!is_array_index(bad));
}
