-- Password grant for a rotating set of users (USERS: comma-separated e-mails, all with PASSWORD) through one
-- first-party confidential application (CLIENT_ID, CLIENT_SECRET).
local users = {}
for email in string.gmatch(os.getenv("USERS"), "[^,]+") do
  users[#users + 1] = email
end
local password = os.getenv("PASSWORD")
local client = "&client_id=" .. os.getenv("CLIENT_ID") .. "&client_secret=" .. os.getenv("CLIENT_SECRET")
local n = 0
request = function()
  n = n + 1
  local user = users[(n % #users) + 1]
  return wrk.format("POST", "/oauth/token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=password&username=" .. user .. "&password=" .. password .. client)
end
