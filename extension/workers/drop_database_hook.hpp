// DROP DATABASE of the workers' database (see drop_database_hook.cpp).
#pragma once

namespace thaiyyal::pg {

// _PG_init while preloading.
void install_drop_database_hook() noexcept;

}  // namespace thaiyyal::pg
