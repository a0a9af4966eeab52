#include "models/overrides.hpp"

#include <fmt/core.h>

namespace leptonsim::models {

Override parse_override(const std::string& argument)
{
  const auto eq = argument.find('=');
  if (argument.empty() || argument[0] != '/' || eq == std::string::npos)
    throw InputError("--set", argument, "expected /json/pointer=VALUE, for example --set /policy/name=round_robin");
  Override o;
  o.pointer = argument.substr(0, eq);
  o.text    = argument.substr(eq + 1);
  try {
    Json::json_pointer check(o.pointer);
    (void)check;
  } catch (const Json::exception& e) {
    throw InputError("--set", o.pointer, "is not a valid JSON pointer");
  }
  try {
    o.value = Json::parse(o.text);
  } catch (const Json::exception&) {
    o.value = o.text;  // a bare word such as round_robin or 10Gf
  }
  return o;
}

bool is_array_index(std::string_view token)
{
  return !token.empty() && token.size() < 10 && token.find_first_not_of("0123456789") == std::string_view::npos &&
         (token.size() == 1 || token[0] != '0');
}

void apply_overrides(Json& document, const std::vector<Override>& overrides)
{
  for (const auto& o : overrides) {
    const Json::json_pointer ptr(o.pointer);
    const Json::json_pointer parent = ptr.parent_pointer();
    const std::string last          = ptr.back();
    if (!document.contains(parent))
      throw InputError("--set", o.pointer, "the scenario has nothing at " +
                                               (parent.to_string().empty() ? std::string("(document)") : parent.to_string()));
    Json& container = document.at(parent);
    if (container.is_object()) {
      container[last] = o.value;
    } else if (container.is_array()) {
      size_t index = 0;
      if (last == "-") {
        index = container.size();
      } else {
        if (!is_array_index(last))
          throw InputError("--set", o.pointer, "'" + last + "' is not an array index");
        index = std::stoul(last);
      }
      if (index < container.size())
        container[index] = o.value;
      else if (index == container.size())
        container.push_back(o.value);
      else
        throw InputError("--set", o.pointer,
                         fmt::format("index {} is past the end of an array of {} elements", index, container.size()));
    } else {
      throw InputError("--set", o.pointer, "the parent is " + type_name(container) + ", not an object or array");
    }
  }
}

}  // namespace leptonsim::models
