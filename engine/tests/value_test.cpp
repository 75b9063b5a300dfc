// The Value model: sharing, copy on write, and safe destruction.
#include <gtest/gtest.h>

#include "engine/go/fmt.hpp"
#include "engine/go/json.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {
namespace {

TEST(Value, CopiesShareContainersAndWritesCopyThem) {
  Value a = Value::array({Value::number(1)});
  Value b = a;
  b.mutable_array().push_back(Value::number(2));
  EXPECT_EQ(a.as_array().size(), 1u);
  EXPECT_EQ(b.as_array().size(), 2u);
}

TEST(Value, DroppingAMillionLevelsOfNestingDoesNotOverflowTheStack) {
  // A reduce with `[accumulator]` builds exactly this shape.
  Value v = Value::number(0);
  for (int i = 0; i < 1000000; ++i) {
    if (i % 2 == 0) {
      v = Value::array({v});
    } else {
      Object o;
      o.set("next", v);
      v = Value::object(std::move(o));
    }
  }
  v = Value();  // must return, not crash
  SUCCEED();
}

TEST(Value, SharedChildrenSurviveTheirParent) {
  Value shared = Value::array({Value::string("x")});
  {
    Value parent = Value::array({shared, shared});
    Value grand = Value::array({parent, parent});
  }
  ASSERT_EQ(shared.as_array().size(), 1u);
  EXPECT_EQ(shared.as_array()[0].as_string(), "x");
}

TEST(Value, RecursiveWritersRefusePathologicallyDeepValues) {
  Value v = Value::number(0);
  for (int i = 0; i < 20000; ++i) v = Value::array({v});
  EXPECT_THROW(to_json(v), JsonWriteError);
  EXPECT_THROW(to_json_pretty(v), JsonWriteError);
  EXPECT_THROW(go_v(v), std::length_error);
  Value shallow = Value::array({Value::array({Value::number(1)})});
  EXPECT_EQ(to_json(shallow), "[[1]]");
  EXPECT_EQ(go_v(shallow), "[[1]]");
}

}  // namespace
}  // namespace thaiyyal
