// The manifest's FunctionFile. The ribbon button only opens the task pane (ShowTaskpane), so this page just has
// to initialise Office; it exists because Excel loads it for every add-in command.
Office.onReady(() => undefined);
