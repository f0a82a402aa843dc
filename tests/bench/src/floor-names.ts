/** The floor's names, apart from its workflow code, so the bench can use them without importing the sandbox's API. */
export const FLOOR_WORKFLOW_TYPE = 'benchFloor'
export const FLOOR_TASK_QUEUE = 'bench-floor'
