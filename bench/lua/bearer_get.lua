-- GET with a Bearer access token from the environment (TOKEN).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
