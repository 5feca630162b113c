Route #1: 2 1
Route #2: 
Cost 13.2
