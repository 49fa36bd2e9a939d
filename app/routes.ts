// The web app's pages. The API's routes are not here: they are in app/api-routes.ts and served by
// the API pipeline without React Router (docs/decisions/005-api-dispatch-outside-react-router.md).
import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  // An account signed in with an API key manages its keys here.
  route("keys", "routes/keys.tsx"),

  // The admin dashboard (its own route modules, so none of its code ships with the chat page).
  route("admin/sign-in", "routes/admin.sign-in.tsx"),
  route("admin", "routes/admin.tsx", [
    index("routes/admin.overview.tsx"),
    route("accounts", "routes/admin.accounts.tsx"),
    route("usage.csv", "routes/admin.usage-csv.ts"),
    route("accounts/:account", "routes/admin.account.tsx"),
    route("system", "routes/admin.system.tsx"),
  ]),
] satisfies RouteConfig;
