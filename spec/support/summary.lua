-- spec/support/summary.lua: the busted output handler of `make test`: busted's plain terminal
-- output (a dot per test, then the failures in full), then one last line "N passed, N failed"
-- (errors count as failures) that CI and people can read at a glance.
return function(options)
  local busted = require "busted"
  local handler = require "busted.outputHandlers.plainTerminal"(options)

  local function summary()
    local failed = handler.failuresCount + handler.errorsCount
    io.write(string.format("%d passed, %d failed\n", handler.successesCount, failed))
    io.flush()
    return nil, true
  end

  -- after the plain handler's own report (same priority: subscribers run in order)
  busted.subscribe({ "suite", "end" }, summary)
  return handler
end
