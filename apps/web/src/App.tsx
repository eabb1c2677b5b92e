import { Navigate, Route, Routes } from 'react-router';

import { RequireSession } from './auth/RequireSession';
import { SignInPage } from './auth/SignInPage';
import { AppShell } from './layout/AppShell';
import { ExperimentPage } from './pages/ExperimentPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { RunPage } from './pages/RunPage';

/** Every view has its own URL (shareable; the back button works). */
export function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route
        element={
          <RequireSession>
            <AppShell />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/projects" replace />} />
        <Route path="/projects" element={<ProjectsPage />} />
        <Route path="/experiments/:experimentId" element={<ExperimentPage />} />
        <Route path="/experiments/:experimentId/runs/:runId" element={<RunPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
